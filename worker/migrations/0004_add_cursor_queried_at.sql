-- When the query behind a table's pass began: a REST pass's first request, or its Bulk API 2.0 job's createdDate.
-- Salesforce serves every page with the values of that moment, so the watermark may move no further than it (less
-- the re-read window). Kept with the cursor so a pass resumed by a later invocation still moves the watermark, and
-- a Bulk job's pages are read on without asking for its status again.
ALTER TABLE sync_cursors ADD COLUMN queried_at TEXT;
