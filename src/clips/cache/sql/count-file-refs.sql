-- countFileRefs (query): how many entries point at one file.
-- params: @file_hash
SELECT count(*) FROM entries WHERE file_hash = @file_hash;
