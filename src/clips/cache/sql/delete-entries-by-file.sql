-- deleteEntriesByFile: drops every entry that points at one file (missing or quarantined).
-- params: @file_hash
-- preconditions: none.
-- effects: those rows deleted.
DELETE FROM entries WHERE file_hash = @file_hash;
