-- listProtectedClipIds (query): clips referenced by an unfinished run — one still running, or
--   interrupted and not yet followed by a finished run of the same template and dataset. The
--   cache must not prune them: the resumed run needs them. "Later" is insertion order (rowid):
--   runs are serialized by the run lock, and two runs can start within the same millisecond.
-- params: none
SELECT DISTINCT u.clip_id
  FROM clip_uses u
  JOIN runs r ON r.id = u.run_id
 WHERE r.status = 'running'
    OR (r.status = 'interrupted'
        AND NOT EXISTS (SELECT 1 FROM runs later
                         WHERE later.rowid > r.rowid
                           AND later.status = 'completed'
                           AND later.template_id IS r.template_id
                           AND later.dataset IS r.dataset));
