-- Clip-cache index, schema version 1. One row per clip id; several clip ids may share one
-- content-addressed file (same bytes). Times are ms since the epoch; money is US dollars.
CREATE TABLE entries (
  clip_id      TEXT PRIMARY KEY,
  -- sha256 (hex) of the file: the file lives at <sha256[0:2]>/<sha256>.mp4 under the cache folder.
  file_hash    TEXT NOT NULL,
  bytes        INTEGER NOT NULL,
  provider     TEXT NOT NULL,
  model        TEXT NOT NULL,
  prompt       TEXT NOT NULL,
  task_id      TEXT,
  cost_usd     REAL,
  cost_source  TEXT,
  -- The QA gate's verdict as JSON, or NULL when QA did not run.
  qa_json      TEXT,
  pinned       INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  draft        INTEGER NOT NULL DEFAULT 0 CHECK (draft IN (0, 1)),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
) STRICT;

CREATE INDEX entries_by_file ON entries (file_hash);
CREATE INDEX entries_by_last_use ON entries (last_used_at);
