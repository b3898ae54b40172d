-- Live task offers, version 8: every change that can put a task into or take it out of the riders'
-- offers (created, claimed, released, started, cancelled, expired, or its offer's fields edited)
-- is announced on the channel 'tracklane_task_offers' (StatusChannels.TASK_OFFERS). A trigger,
-- not the application, sends it: every path that writes tasks (API, expiry sweep, an operator's
-- SQL) announces itself, and Postgres delivers a NOTIFY only when its transaction commits, in
-- commit order. The payload is small; the gateway reads the task's row by id.
CREATE FUNCTION tasks_offer_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tracklane_task_offers', json_build_object(
    'taskId', NEW.id,
    'status', NEW.status,
    'claimedBy', NEW.claimed_by,
    'op', lower(TG_OP))::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER tasks_offer_created AFTER INSERT ON tasks
  FOR EACH ROW EXECUTE FUNCTION tasks_offer_notify();

CREATE TRIGGER tasks_offer_changed
  AFTER UPDATE OF status, claimed_by, title, bonus_amount, bonus_currency, window_start, window_end, route_id
  ON tasks
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status
        OR OLD.claimed_by IS DISTINCT FROM NEW.claimed_by
        OR OLD.title IS DISTINCT FROM NEW.title
        OR OLD.bonus_amount IS DISTINCT FROM NEW.bonus_amount
        OR OLD.bonus_currency IS DISTINCT FROM NEW.bonus_currency
        OR OLD.window_start IS DISTINCT FROM NEW.window_start
        OR OLD.window_end IS DISTINCT FROM NEW.window_end
        OR OLD.route_id IS DISTINCT FROM NEW.route_id)
  EXECUTE FUNCTION tasks_offer_notify();
