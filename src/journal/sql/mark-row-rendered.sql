-- markRowRendered: a video is finished under its final name; stores its manifest.
-- params: @run_id, @row_key, @variant, @template_id, @output_path, @manifest_hash, @manifest_json, @wall_ms, @cpu_ms, @frames, @output_bytes, @output_mtime_ms, @now
-- preconditions: the row is 'rendering' (checked: exactly 1 row changed by the first statement);
--   the output file was already renamed into place.
-- effects: the row is 'rendered' with timings; renders holds this manifest as the newest render of
--   (template, row, variant), with the output file's size and mtime (NULL when unknown).
UPDATE rows
   SET status = 'rendered', output_path = @output_path, manifest_hash = @manifest_hash,
       wall_ms = @wall_ms, cpu_ms = @cpu_ms, frames = @frames, ended_at = @now
 WHERE run_id = @run_id AND row_key = @row_key AND variant = @variant AND status = 'rendering';

INSERT INTO renders (template_id, row_key, variant, run_id, manifest_hash, manifest_json, output_path, rendered_at, output_bytes, output_mtime_ms)
VALUES (@template_id, @row_key, @variant, @run_id, @manifest_hash, @manifest_json, @output_path, @now, @output_bytes, @output_mtime_ms)
ON CONFLICT (template_id, row_key, variant) DO UPDATE
   SET run_id = excluded.run_id, manifest_hash = excluded.manifest_hash, manifest_json = excluded.manifest_json,
       output_path = excluded.output_path, rendered_at = excluded.rendered_at,
       output_bytes = excluded.output_bytes, output_mtime_ms = excluded.output_mtime_ms;
