-- Receipts riders photograph for a task, what OCR read from them, and their review; version 4.
-- One row per uploaded object: the S3 key is fixed when the upload is presigned, so an S3 event
-- (delivered at least once) always finds the same row.

CREATE TABLE receipts (
  id                    text PRIMARY KEY,
  task_id               text NOT NULL REFERENCES tasks (id),
  rider_id              text NOT NULL REFERENCES users (id),
  s3_bucket             text NOT NULL,
  s3_key                text NOT NULL,
  -- what the rider declared when asking for the upload (the presigned policy pins the type)
  content_type          text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  declared_size         bigint CHECK (declared_size > 0),
  status                text NOT NULL DEFAULT 'uploading'
                        CHECK (status IN ('uploading', 'processing', 'extracted', 'needs_review', 'failed', 'confirmed')),
  -- the object actually read: S3's ETag and size (idempotency: the same object is processed once)
  object_etag           text,
  object_size           bigint,
  detected_content_type text,                 -- by magic bytes, not by name or declaration
  processing_etag       text,                 -- the ETag an OCR run claimed the row for
  processing_started_at timestamptz,          -- a run older than the function timeout is presumed dead
  processed_at          timestamptz,
  amount                numeric(12, 2) CHECK (amount >= 0),
  currency              char(3),
  receipt_date          date,
  merchant              text,
  confidence            double precision CHECK (confidence >= 0 AND confidence <= 1),
  provider              text,
  raw_text              text,
  review_reasons        jsonb NOT NULL DEFAULT '[]'::jsonb,
  failure_reason        text,
  reviewed_by           text REFERENCES users (id),
  reviewed_at           timestamptz,
  review_note           text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (s3_bucket, s3_key),
  CHECK (status <> 'failed' OR failure_reason IS NOT NULL),
  CHECK (status <> 'confirmed' OR (amount IS NOT NULL AND currency IS NOT NULL AND reviewed_by IS NOT NULL))
);
CREATE INDEX receipts_task ON receipts (task_id, created_at DESC, id DESC);
-- the review queue and staff lists: newest first per status
CREATE INDEX receipts_status ON receipts (status, created_at DESC, id DESC);
CREATE INDEX receipts_created ON receipts (created_at DESC, id DESC);
CREATE INDEX receipts_rider ON receipts (rider_id, created_at DESC);

-- Audit of every change of a receipt: upload requested, OCR runs and their results, a manager's
-- confirmation or correction (details hold the old and new values and the note).
CREATE TABLE receipt_events (
  id          bigserial PRIMARY KEY,
  receipt_id  text NOT NULL REFERENCES receipts (id),
  type        text NOT NULL,             -- requested, processing, extracted, needs_review, failed, confirmed, corrected, reset
  from_status text,
  to_status   text,
  actor_id    text,                      -- null for the system (the OCR function)
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX receipt_events_receipt ON receipt_events (receipt_id, at);
