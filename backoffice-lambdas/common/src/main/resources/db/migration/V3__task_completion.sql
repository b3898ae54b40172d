-- What a completed ride was, for reports: the track replayed through the progress engine when the
-- task was completed (distance ridden, time active, checkpoint times, off-route alerts), and, when
-- an admin completed it although the arrival check failed, who did and why.
CREATE TABLE task_completions (
  task_id           text PRIMARY KEY REFERENCES tasks (id),
  rider_id          text NOT NULL REFERENCES users (id),
  route_id          text NOT NULL REFERENCES routes (id),
  completed_at      timestamptz NOT NULL DEFAULT now(),
  arrived           boolean NOT NULL,
  distance_m        double precision NOT NULL CHECK (distance_m >= 0),
  active_s          bigint NOT NULL CHECK (active_s >= 0),
  stopped_s         bigint NOT NULL CHECK (stopped_s >= 0),
  fixes             int NOT NULL,
  accepted_fixes    int NOT NULL,
  first_fix_at      timestamptz,
  last_fix_at       timestamptz,
  end_distance_m    double precision,
  percent           double precision NOT NULL,
  off_route_alerts  int NOT NULL DEFAULT 0,
  checkpoints       jsonb NOT NULL,          -- [{index, name, reachedTs (epoch ms or null)}], route order
  override_reason   text,
  overridden_by     text REFERENCES users (id),
  -- an override always names its admin and reason; a ride that did not arrive needs one
  CHECK ((override_reason IS NULL) = (overridden_by IS NULL)),
  CHECK (arrived OR override_reason IS NOT NULL)
);
CREATE INDEX task_completions_rider ON task_completions (rider_id, completed_at);
CREATE INDEX task_completions_route ON task_completions (route_id, completed_at);
