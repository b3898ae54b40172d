-- Tracklane back office schema, version 1: accounts, routes, tasks and their audit, rider earnings.
-- IDs are UUIDs as text; times are timestamptz; money is numeric with an ISO 4217 currency.

CREATE TABLE users (
  id            text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'manager', 'rider')),
  password_hash text NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens are stored hashed; rotation revokes the old one.
CREATE TABLE refresh_tokens (
  id          text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  user_id     text NOT NULL REFERENCES users (id),
  token_hash  text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Failed logins per username, for throttling.
CREATE TABLE login_failures (
  username        text PRIMARY KEY,
  failures        int NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz
);

-- A route version. Versions of one route share lineage_id; a version used by an active task is
-- never changed in place: editing it creates the next version and marks this one superseded.
CREATE TABLE routes (
  id            text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  lineage_id    text NOT NULL,
  version       int  NOT NULL DEFAULT 1,
  name          text NOT NULL,
  description   text,
  geometry      jsonb NOT NULL,          -- GeoJSON LineString, WGS-84 [lon, lat]
  checkpoints   jsonb NOT NULL,          -- [{name, lat, lon, radiusM}], in route order
  length_m      double precision NOT NULL,
  superseded_by text REFERENCES routes (id),
  deleted_at    timestamptz,
  created_by    text REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (lineage_id, version)
);

CREATE TABLE tasks (
  id             text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  route_id       text NOT NULL REFERENCES routes (id),
  title          text NOT NULL,
  description    text,
  bonus_amount   numeric(12, 2) NOT NULL CHECK (bonus_amount >= 0),
  bonus_currency char(3) NOT NULL,
  window_start   timestamptz NOT NULL,
  window_end     timestamptz NOT NULL CHECK (window_end > window_start),
  status         text NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'claimed', 'in_progress', 'completed', 'cancelled', 'expired')),
  claimed_by     text REFERENCES users (id),
  claimed_at     timestamptz,
  started_at     timestamptz,
  completed_at   timestamptz,
  cancelled_at   timestamptz,
  cancel_reason  text,
  created_by     text REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- a claimed or running task always has its rider; an open one never has one
  CHECK ((status IN ('claimed', 'in_progress', 'completed')) = (claimed_by IS NOT NULL)
         OR status IN ('cancelled', 'expired'))
);
CREATE INDEX tasks_status ON tasks (status, window_end);
CREATE INDEX tasks_claimed_by ON tasks (claimed_by, status);

-- Audit of every task transition.
CREATE TABLE task_events (
  id         bigserial PRIMARY KEY,
  task_id    text NOT NULL REFERENCES tasks (id),
  type       text NOT NULL,                -- created, claimed, released, started, completed, cancelled, expired
  from_status text,
  to_status  text,
  actor_id   text,                         -- null for the system (expiry sweep)
  details    jsonb NOT NULL DEFAULT '{}'::jsonb,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_events_task ON task_events (task_id, at);

-- Rider earnings. One bonus per task, ever: the unique key makes a repeated completion harmless.
CREATE TABLE rider_ledger (
  id         bigserial PRIMARY KEY,
  rider_id   text NOT NULL REFERENCES users (id),
  task_id    text REFERENCES tasks (id),
  kind       text NOT NULL CHECK (kind IN ('task_bonus', 'adjustment')),
  amount     numeric(12, 2) NOT NULL,
  currency   char(3) NOT NULL,
  note       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (task_id, kind)
);
CREATE INDEX rider_ledger_rider ON rider_ledger (rider_id, created_at);
