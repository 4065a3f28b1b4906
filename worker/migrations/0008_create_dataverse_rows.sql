-- What the Dataverse destination has written to each environment: per row (the GUID derived from the Salesforce Id),
-- the Salesforce SystemModstamp of the version Dataverse acknowledged, and whether it was deleted (hard) or
-- deactivated (soft). Dataverse's own tables have no column for the source version, so this is how the writer keeps
-- the destination contract's rule 3 (a row is never replaced or deleted by an older version) and rule 2 (a page
-- committed again changes nothing). Written in the same D1 batch as the page's cursor, after Dataverse acknowledged
-- the page; a crash in between only makes the next run send the same idempotent upserts again.
CREATE TABLE dataverse_rows (
  dataverse_connection_id TEXT NOT NULL REFERENCES dataverse_connections (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  guid TEXT NOT NULL,
  modstamp TEXT NOT NULL,
  -- set when the row was deleted or deactivated; kept as a tombstone so an older version cannot bring it back
  deleted_at TEXT,
  -- a lookup Dataverse refused because its target row was not there yet (a contact before its account): the row was
  -- written without it, and these binds (JSON) are sent again once the target (this GUID, an account) is written
  pending_target TEXT,
  pending_binds TEXT,
  PRIMARY KEY (dataverse_connection_id, table_name, guid)
) WITHOUT ROWID;

CREATE INDEX dataverse_rows_pending ON dataverse_rows (dataverse_connection_id, pending_target) WHERE pending_target IS NOT NULL;
