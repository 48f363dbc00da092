-- Schema version 2: planned rows of each run, finished renders with their manifests, and which
-- clip each row used (for per-row cost attribution).

CREATE TABLE rows (
  run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  row_key       TEXT NOT NULL,
  -- Variant name; '*' for a row skipped before variants were chosen (invalid row).
  variant       TEXT NOT NULL,
  row_index     INTEGER,
  line          INTEGER,
  row_hash      TEXT,
  output_name   TEXT,
  manifest_hash TEXT,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'rendering', 'rendered', 'failed', 'skipped', 'up_to_date')),
  -- Why the planner chose to render it: new_row, row_changed, template_changed, clip_changed, forced, output_missing.
  reason        TEXT,
  error_code    TEXT,
  error_message TEXT,
  output_path   TEXT,
  wall_ms       INTEGER,
  cpu_ms        INTEGER,
  frames        INTEGER,
  planned_at    INTEGER NOT NULL,
  started_at    INTEGER,
  ended_at      INTEGER,
  PRIMARY KEY (run_id, row_key, variant)
) STRICT;

CREATE INDEX rows_by_status ON rows (run_id, status);

-- The newest finished render of each (template, row, variant): what incremental runs compare with.
CREATE TABLE renders (
  template_id   TEXT NOT NULL,
  row_key       TEXT NOT NULL,
  variant       TEXT NOT NULL,
  run_id        TEXT REFERENCES runs (id) ON DELETE SET NULL,
  manifest_hash TEXT NOT NULL,
  manifest_json TEXT NOT NULL,
  output_path   TEXT NOT NULL,
  rendered_at   INTEGER NOT NULL,
  PRIMARY KEY (template_id, row_key, variant)
) STRICT;

CREATE INDEX renders_by_manifest ON renders (manifest_hash);

CREATE TABLE clip_uses (
  run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  row_key TEXT NOT NULL,
  variant TEXT NOT NULL,
  slot    TEXT NOT NULL,
  clip_id TEXT NOT NULL REFERENCES clips (clip_id),
  -- generated: paid in this run; cache: from an earlier run; shared: generated in this run for an
  -- earlier row; local: the free local placeholder provider.
  origin  TEXT NOT NULL CHECK (origin IN ('generated', 'cache', 'shared', 'local')),
  PRIMARY KEY (run_id, row_key, variant, slot)
) STRICT;

CREATE INDEX clip_uses_by_clip ON clip_uses (clip_id);
