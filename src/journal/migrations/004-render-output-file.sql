-- Schema version 4: the size and modification time of each newest render's output file as it was when the render
-- finished, so the planner can tell a video changed on disk (truncated, overwritten) from an intact one without
-- hashing it: a size or mtime that differs from these reads as `output_changed`.
-- NULL: rendered before version 4, or the file could not be read right after rendering (no check, as before).

ALTER TABLE renders ADD COLUMN output_bytes INTEGER;
ALTER TABLE renders ADD COLUMN output_mtime_ms INTEGER;
