-- Back-office hardening, version 6.
--
-- Login throttling per username AND source address: counted per username alone (version 1),
-- anyone could keep a named account locked out from anywhere. Each row lives until expires_at
-- (the end of its failure window or lock) and is pruned after; the old per-username rows are
-- dropped (they only ever held the last 15 minutes).
DROP TABLE login_failures;
CREATE TABLE login_failures (
  username        text NOT NULL,
  source_ip       text NOT NULL,            -- API Gateway's requestContext.identity.sourceIp
  failures        int NOT NULL,
  last_failure_at timestamptz NOT NULL,
  locked_until    timestamptz,
  expires_at      timestamptz NOT NULL,     -- after this the row means nothing and is deleted
  PRIMARY KEY (username, source_ip)
);
CREATE INDEX login_failures_expires ON login_failures (expires_at);

-- OCR runs per receipt: a run that dies (timeout, crash) leaves the receipt in processing; the
-- sweep starts it again until this many runs were claimed, then gives up with a reason.
ALTER TABLE receipts ADD COLUMN ocr_attempts int NOT NULL DEFAULT 0 CHECK (ocr_attempts >= 0);
-- the sweep's question: which receipts have been processing longest
CREATE INDEX receipts_processing ON receipts (processing_started_at) WHERE status = 'processing';
