-- Hard deletes (issue 17): records purged from Salesforce's recycle bin never reach queryAll. Each incremental pass
-- reads the deleted-records log; where that log no longer covers the time since the last pass, an Id reconciliation
-- reads every Id of the object and removes from the copy what Salesforce no longer has.

-- How often a connector's tables are reconciled on a schedule (days; 0 = only when needed or asked for).
ALTER TABLE connectors ADD COLUMN reconcile_every_days INTEGER NOT NULL DEFAULT 7;

-- Each connector table's delete tracking: how far the delete log has been read, the reconciliation asked for (and
-- why), the one under way (its Bulk API 2.0 job, the results locator of the next page to stage, the copy's Salesforce
-- Id compared up to), and when the last one ended.
CREATE TABLE reconciliations (
  connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  -- set when one is needed or asked for: 'requested' | 'window_expired' | 'replication_date_refused' | 'deleted_log_unreadable'
  requested_at TEXT,
  reason TEXT,
  -- null (none under way) | 'staging' (Ids read into reconcile_ids) | 'comparing' (copy compared in chunks)
  phase TEXT,
  job_id TEXT,
  -- rows of the copy written at or after this moment are never removed (they may be newer than the job's snapshot)
  cutoff TEXT,
  locator TEXT,
  compared_to TEXT,
  run_id TEXT,
  last_finished_at TEXT,
  -- how far the delete log has been read (or a reconciliation has covered): the next pass's log window starts here
  deletes_covered_to TEXT,
  PRIMARY KEY (connector_id, table_name)
);

-- The Ids Salesforce has, staged while a reconciliation reads them (never held in memory: up to millions).
CREATE TABLE reconcile_ids (
  connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  salesforce_id TEXT NOT NULL,
  PRIMARY KEY (connector_id, table_name, salesforce_id)
) WITHOUT ROWID;

-- The copy walked in Salesforce Id order, a chunk at a time.
CREATE INDEX contact_connector_sfid ON contact (tenant_id, forcebridge_connector_id, forcebridge_salesforce_id);
CREATE INDEX account_connector_sfid ON account (tenant_id, forcebridge_connector_id, forcebridge_salesforce_id);
