-- beginRun: records the start of a run.
-- params: @id, @started_at, @command, @dataset, @template_id, @template_version, @bundle_hash, @options_json, @pid, @host
-- preconditions: the caller holds the run lock, so any other run still marked 'running' belongs to a
--   dead process: it is marked 'interrupted' here, in the same transaction. @id is new.
-- effects: 1 run inserted with status 'running'.
UPDATE runs
   SET status = 'interrupted', ended_at = @started_at
 WHERE status = 'running';

INSERT INTO runs (id, started_at, command, dataset, template_id, template_version, bundle_hash, options_json, status, pid, host)
VALUES (@id, @started_at, @command, @dataset, @template_id, @template_version, @bundle_hash, @options_json, 'running', @pid, @host);
