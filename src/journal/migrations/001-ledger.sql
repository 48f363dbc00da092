-- Schema version 1: runs, clip requests and paid generation attempts (the clip ledger).
-- Times are integer milliseconds since the Unix epoch (UTC); money is US dollars (REAL).

CREATE TABLE runs (
  id               TEXT PRIMARY KEY,
  started_at       INTEGER NOT NULL,
  ended_at         INTEGER,
  -- CLI command or API entry, secrets scrubbed ("render", "plan", …).
  command          TEXT NOT NULL,
  dataset          TEXT,
  template_id      TEXT,
  template_version TEXT,
  bundle_hash      TEXT,
  -- Resolved options as JSON, every key matching /key|secret|token/i redacted before writing.
  options_json     TEXT NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'budget_exceeded', 'interrupted')),
  pid              INTEGER,
  host             TEXT,
  error_code       TEXT,
  error_message    TEXT,
  -- Totals, computed from the journal by finishRun.
  rows_total       INTEGER,
  rows_rendered    INTEGER,
  rows_failed      INTEGER,
  rows_skipped     INTEGER,
  rows_up_to_date  INTEGER,
  attempts_total   INTEGER,
  clip_cost_usd    REAL,
  -- Extra caller totals (wall time, frames, …) as JSON.
  totals_json      TEXT
) STRICT;

CREATE INDEX runs_by_started ON runs (started_at);

CREATE TABLE clips (
  clip_id      TEXT PRIMARY KEY,
  -- The normalized ClipRequest as JSON; NULL when the clip was only seen through the ledger.
  request_json TEXT,
  status       TEXT NOT NULL CHECK (status IN ('planned', 'generating', 'succeeded', 'failed')),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE attempts (
  id                          INTEGER PRIMARY KEY AUTOINCREMENT,
  clip_id                     TEXT NOT NULL REFERENCES clips (clip_id),
  run_id                      TEXT REFERENCES runs (id),
  provider                    TEXT NOT NULL,
  model                       TEXT NOT NULL,
  prompt_hash                 TEXT NOT NULL,
  attempt_no                  INTEGER NOT NULL,
  seed                        INTEGER,
  task_id                     TEXT,
  -- started: journaled, create call not answered yet; submitted: task id known; abandoned:
  -- killed before the task id was journaled (the provider may still bill; cost unknown).
  status                      TEXT NOT NULL CHECK (status IN ('started', 'submitted', 'succeeded', 'failed', 'rejected', 'cancelled', 'abandoned')),
  failure_code                TEXT,
  message                     TEXT,
  retryable                   INTEGER,
  -- What was paid (provider-reported credits when available, else list price); NULL = unknown.
  cost_usd                    REAL,
  cost_source                 TEXT,
  -- Our list-price estimate before the call, and the provider's estimate after it (if any).
  estimated_cost_usd          REAL NOT NULL,
  provider_estimated_cost_usd REAL,
  file                        TEXT,
  file_hash                   TEXT,
  started_at                  INTEGER NOT NULL,
  submitted_at                INTEGER,
  ended_at                    INTEGER
) STRICT;

CREATE INDEX attempts_by_clip ON attempts (clip_id, id);
CREATE INDEX attempts_by_run ON attempts (run_id);
CREATE INDEX attempts_by_task ON attempts (task_id) WHERE task_id IS NOT NULL;
