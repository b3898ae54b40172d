-- Weekly and monthly reports, version 5. One row per period (type + first local day); the files of
-- its current generation are in S3 under reports/<type>/<label>/g<generation>/. Regenerating a
-- period writes a new generation's files, then switches the row in one UPDATE (under an advisory
-- lock per period), so a reader sees either the old report or the new one, never a mix.

CREATE TABLE reports (
  id             text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  period_type    text NOT NULL CHECK (period_type IN ('week', 'month')),
  period_start   date NOT NULL,                 -- first day, in the business time zone
  period_end     date NOT NULL,                 -- the day after the last one (exclusive)
  timezone       text NOT NULL,                 -- the business time zone the period was cut in
  label          text NOT NULL,                 -- 2026-W47 or 2026-11
  status         text NOT NULL CHECK (status IN ('ready', 'failed')),
  generation     int  NOT NULL DEFAULT 1 CHECK (generation >= 1),
  origin         text NOT NULL CHECK (origin IN ('schedule', 'manual')),
  generated_by   text REFERENCES users (id),    -- null for the schedule
  generated_at   timestamptz NOT NULL DEFAULT now(),
  duration_ms    bigint,
  s3_bucket      text,
  csv_key        text,
  xlsx_key       text,
  html_key       text,
  -- headline figures, for lists without opening a file
  tasks_claimed    int,
  tasks_completed  int,
  tasks_cancelled  int,
  on_time_rate     double precision,
  distance_m       double precision,
  active_riders    int,
  summary        jsonb NOT NULL DEFAULT '{}'::jsonb,   -- money per currency and the change against the previous period
  error          text,
  UNIQUE (period_type, period_start),
  CHECK (period_end > period_start),
  CHECK (status <> 'ready' OR (s3_bucket IS NOT NULL AND csv_key IS NOT NULL AND xlsx_key IS NOT NULL
                               AND html_key IS NOT NULL)),
  CHECK (status <> 'failed' OR error IS NOT NULL)
);
-- GET /reports: newest period first
CREATE INDEX reports_list ON reports (period_start DESC, period_type DESC);

-- The report's aggregates select by time over years of history; these keep them to the period.
CREATE INDEX task_events_type_at ON task_events (type, at);
CREATE INDEX tasks_completed_at ON tasks (completed_at) WHERE status = 'completed';
CREATE INDEX tasks_cancelled_at ON tasks (cancelled_at) WHERE status = 'cancelled';
CREATE INDEX rider_ledger_created ON rider_ledger (created_at);
