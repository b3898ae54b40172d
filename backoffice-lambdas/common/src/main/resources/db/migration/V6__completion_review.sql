-- Completion review, version 6: a completion whose track looks uploaded in one burst after the
-- fact (a fabricated or backdated ride) is held as needs_review instead of paying the bonus; an
-- admin approves it (→ completed, the bonus is credited) or rejects it (→ cancelled, no bonus).
-- A held task keeps its rider, its completed_at (when the rider asked to complete) and its
-- task_completions row (the ride the admin reviews).

-- V1's CHECKs were unnamed: drop the two that list task statuses, whatever Postgres named them.
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'tasks'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%in_progress%'
  LOOP
    EXECUTE format('ALTER TABLE tasks DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;

ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
  CHECK (status IN ('open', 'claimed', 'in_progress', 'needs_review', 'completed', 'cancelled', 'expired'));
-- a claimed, running or held task always has its rider; an open one never has one
ALTER TABLE tasks ADD CONSTRAINT tasks_claimed_by_check
  CHECK ((status IN ('claimed', 'in_progress', 'needs_review', 'completed')) = (claimed_by IS NOT NULL)
         OR status IN ('cancelled', 'expired'));
