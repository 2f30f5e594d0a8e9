-- 0002: room on the frontier's pages for the next version of their rows.
-- Every ingest updates its URL's row, changed page or not. With free space
-- on the row's own page the new version goes there, and its WAL record then
-- carries only the bytes that differ from the old version (PostgreSQL's
-- prefix/suffix compression of same-page updates), not the whole row.
ALTER TABLE urls SET (fillfactor = 70);
