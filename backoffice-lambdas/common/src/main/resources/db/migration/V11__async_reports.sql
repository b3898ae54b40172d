-- Reports generated asynchronously, version 11. POST /reports answers 202 at once with the period's
-- row in status 'generating'; a separately invoked generator (the report_generator function on
-- AWS, a worker thread locally) then turns it 'ready' (new files) or 'failed' (with a reason). A
-- regeneration of a ready report keeps its files and figures while it runs; if it fails, the row
-- goes back to 'ready' with the old files and the failure in error. requested_at is when the
-- current request was accepted: a row still 'generating' long after it (a crashed run) is marked
-- failed by the next list, read or schedule run (ReportService.failStale).
ALTER TABLE reports DROP CONSTRAINT reports_status_check;
ALTER TABLE reports ADD CONSTRAINT reports_status_check
  CHECK (status IN ('generating', 'ready', 'failed'));
ALTER TABLE reports ADD COLUMN requested_at timestamptz;
ALTER TABLE reports ADD COLUMN requested_by text REFERENCES users (id);   -- the manager who asked
CREATE INDEX reports_generating ON reports (requested_at) WHERE status = 'generating';
