-- Row filters and formula refresh (issue 17).

-- A table's row filter: a SOQL condition (`Email != null AND MailingCountry = 'France'`); NULL copies every record.
ALTER TABLE connector_tables ADD COLUMN filter TEXT;

-- How often mapped formula fields are read again (their values change without SystemModstamp moving).
ALTER TABLE connectors ADD COLUMN formula_refresh_hours INTEGER NOT NULL DEFAULT 24;

-- Where each table's formula refresh stands: the refresh under way (its next REST page, or its Bulk API 2.0 job and
-- results locator; all NULL: none under way), when it started, and how the last one ended.
CREATE TABLE formula_refreshes (
  connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  next_page TEXT,
  bulk_job_id TEXT,
  started_at TEXT,
  rows_changed INTEGER NOT NULL DEFAULT 0,
  last_finished_at TEXT,
  last_rows_changed INTEGER,
  PRIMARY KEY (connector_id, table_name)
);
