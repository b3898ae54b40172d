-- How complete a completed ride's track was (TrackCompleteness in the tasks unit), computed from the
-- fixes table when the task is completed, so reports can aggregate it per rider from Postgres
-- without reading DynamoDB. Null on rides completed before V10.
ALTER TABLE task_completions
  ADD COLUMN cadence_s          double precision CHECK (cadence_s > 0),
  ADD COLUMN expected_fixes     int CHECK (expected_fixes >= 0),
  ADD COLUMN received_fixes     int CHECK (received_fixes >= 0),
  ADD COLUMN gaps               int CHECK (gaps >= 0),               -- gaps over 60 s without a fix
  ADD COLUMN longest_gap_s      double precision CHECK (longest_gap_s >= 0),
  ADD COLUMN late_fixes         int CHECK (late_fixes >= 0),         -- receivedAt - ts > 60 s
  ADD COLUMN timed_fixes        int CHECK (timed_fixes >= 0),        -- fixes carrying receivedAt
  ADD COLUMN battery_start      double precision,
  ADD COLUMN battery_end        double precision,
  ADD COLUMN track_completeness jsonb;                                -- the API form, gaps and bursts included
