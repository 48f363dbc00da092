-- putEntry: indexes a clip whose file is already in place under its content hash.
-- params: @clip_id, @file_hash, @bytes, @provider, @model, @prompt, @task_id, @cost_usd, @cost_source, @qa_json, @pinned, @draft, @now
-- preconditions: the file <file_hash[0:2]>/<file_hash>.mp4 exists (moved in before this runs).
-- effects: the entry is inserted, or replaced keeping its pin and creation time.
INSERT INTO entries (clip_id, file_hash, bytes, provider, model, prompt, task_id, cost_usd, cost_source, qa_json, pinned, draft, created_at, last_used_at)
VALUES (@clip_id, @file_hash, @bytes, @provider, @model, @prompt, @task_id, @cost_usd, @cost_source, @qa_json, @pinned, @draft, @now, @now)
ON CONFLICT (clip_id) DO UPDATE
   SET file_hash = excluded.file_hash, bytes = excluded.bytes, provider = excluded.provider, model = excluded.model,
       prompt = excluded.prompt, task_id = excluded.task_id, cost_usd = excluded.cost_usd, cost_source = excluded.cost_source,
       qa_json = excluded.qa_json, pinned = max(entries.pinned, excluded.pinned), draft = excluded.draft,
       last_used_at = excluded.last_used_at;
