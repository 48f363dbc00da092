-- listRenderHashes (query): the manifest hash, output path and recorded output size/mtime of every newest render of a
--   template, without the manifests: what the planner needs to decide which jobs are up to date, in one query instead
--   of one per job.
-- params: @template_id
SELECT row_key, variant, manifest_hash, output_path, output_bytes, output_mtime_ms FROM renders WHERE template_id = @template_id;
