-- Rider devices, version 9: phone apps that cannot hold a JWT (OwnTracks, Traccar Client / OsmAnd)
-- report with a per-device key. The key is 32 random bytes (base64url), shown once at creation and
-- stored only as its SHA-256 (lower-case hex), like refresh tokens: it has full entropy, so a slow
-- password hash would add nothing but latency on every fix.
CREATE TABLE rider_devices (
  id            text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  user_id       text NOT NULL REFERENCES users (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  -- the device segment of the OwnTracks topic owntracks/{user}/{device}; unique per rider
  topic_device  text NOT NULL CHECK (topic_device ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  key_hash      text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz,
  revoked_at    timestamptz,
  revoked_by    text REFERENCES users (id)
);
CREATE INDEX rider_devices_user ON rider_devices (user_id) WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX rider_devices_topic ON rider_devices (user_id, topic_device) WHERE revoked_at IS NULL;

-- Revocation (or deletion) is announced on 'tracklane_device_status' so every gateway drops the
-- cached key at once; a trigger, so that an operator's SQL is honoured too. NOTIFY is delivered on
-- commit. Payload: {"deviceId", "userId", "revoked"}.
CREATE FUNCTION rider_devices_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row rider_devices;
BEGIN
  IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
  PERFORM pg_notify('tracklane_device_status', json_build_object(
    'deviceId', row.id,
    'userId', row.user_id,
    'revoked', TG_OP = 'DELETE' OR row.revoked_at IS NOT NULL)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER rider_devices_changed
  AFTER UPDATE OF revoked_at, user_id, key_hash ON rider_devices
  FOR EACH ROW EXECUTE FUNCTION rider_devices_notify();
CREATE TRIGGER rider_devices_deleted
  AFTER DELETE ON rider_devices
  FOR EACH ROW EXECUTE FUNCTION rider_devices_notify();
