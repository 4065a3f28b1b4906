-- Connectors: what a tenant copies from a connected org, how, and how it went.

CREATE TABLE connectors (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  -- the team that owns written rows (Dataverse ownerid): its name, and the GUID derived from it
  team_name TEXT NOT NULL,
  team_id TEXT NOT NULL,
  interval_minutes INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 0,
  -- 'hard': a record deleted in Salesforce is deleted here; 'soft': it stays with forcebridge_deleted_at set
  delete_mode TEXT NOT NULL DEFAULT 'hard',
  -- stop syncing while the org's remaining daily API requests are below this share (0.2 = 20 %)
  budget_threshold REAL NOT NULL DEFAULT 0.2,
  next_run_at TEXT,
  lease_until TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX connectors_tenant ON connectors (tenant_id);
CREATE INDEX connectors_due ON connectors (active, next_run_at);

-- The tables a connector syncs and their column mappings (JSON: destination column -> Salesforce field).
-- A removed table keeps its row with enabled = 0, so its data stays and re-adding it is a re-sync.
CREATE TABLE connector_tables (
  connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  mapping TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (connector_id, table_name)
);

-- Where each table's sync stands. Written in the same D1 batch as the rows of each page, so a crash resumes
-- exactly where the last committed page ended.
CREATE TABLE sync_cursors (
  connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  -- 'initial' (first load, or a backfill after a mapping change) | 'incremental'
  phase TEXT NOT NULL,
  -- the highest SystemModstamp fully written; incremental reads start a little before it
  watermark TEXT,
  -- the pass under way: the SystemModstamp it started from, the highest it has written so far, and how to fetch
  -- its next page (a REST nextRecordsUrl, or a Bulk API 2.0 job and locator)
  pass_from TEXT,
  pass_max TEXT,
  next_page TEXT,
  bulk_job_id TEXT,
  -- progress of a first load: rows written and the count Salesforce reported at its start
  loaded INTEGER NOT NULL DEFAULT 0,
  total INTEGER,
  -- columns added to the mapping that the next pass must fill for existing rows (JSON array)
  backfill_columns TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (connector_id, table_name)
);

-- Every run of every table, with a truthful status.
CREATE TABLE sync_runs (
  id TEXT PRIMARY KEY,
  connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  mode TEXT NOT NULL,
  -- 'running' | 'succeeded' | 'partial' | 'rate_limited' | 'failed'
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  records_read INTEGER NOT NULL DEFAULT 0,
  records_upserted INTEGER NOT NULL DEFAULT 0,
  records_deleted INTEGER NOT NULL DEFAULT 0,
  records_rejected INTEGER NOT NULL DEFAULT 0,
  api_calls INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER,
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX sync_runs_connector ON sync_runs (connector_id, table_name, started_at);

-- Records Salesforce sent that could not be converted; the run goes on without them.
CREATE TABLE sync_rejects (
  connector_id TEXT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
  table_name TEXT NOT NULL,
  salesforce_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  run_id TEXT,
  rejected_at TEXT NOT NULL,
  PRIMARY KEY (connector_id, table_name, salesforce_id)
);

-- Salesforce describes (trimmed to what mappings need), cached per connection.
CREATE TABLE describe_cache (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  object_name TEXT NOT NULL,
  fields TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (connection_id, object_name)
);

-- The org's daily API usage, as the last Salesforce response said (Sforce-Limit-Info: api-usage=USED/MAX).
CREATE TABLE api_usage (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  used INTEGER NOT NULL,
  max INTEGER NOT NULL,
  observed_at TEXT NOT NULL
);

-- Destination table shaped like Dataverse `contact` (logical names), one set of rows per tenant.
CREATE TABLE contact (
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  contactid TEXT NOT NULL,
  parentcustomerid TEXT,
  ownerid TEXT,
  salutation TEXT,
  firstname TEXT,
  lastname TEXT,
  nickname TEXT,
  jobtitle TEXT,
  department TEXT,
  emailaddress1 TEXT,
  emailaddress2 TEXT,
  telephone1 TEXT,
  telephone2 TEXT,
  mobilephone TEXT,
  fax TEXT,
  assistantname TEXT,
  assistantphone TEXT,
  birthdate TEXT,
  description TEXT,
  address1_line1 TEXT,
  address1_city TEXT,
  address1_stateorprovince TEXT,
  address1_postalcode TEXT,
  address1_country TEXT,
  address1_latitude REAL,
  address1_longitude REAL,
  donotphone INTEGER,
  donotbulkemail INTEGER,
  numberofchildren INTEGER,
  lastusedincampaign TEXT,
  -- Forcebridge's bookkeeping: where the row came from and how fresh it is
  forcebridge_connector_id TEXT NOT NULL,
  forcebridge_salesforce_id TEXT NOT NULL,
  forcebridge_modstamp TEXT NOT NULL,
  -- set when Salesforce deleted the record and the connector keeps deleted rows (soft delete)
  forcebridge_deleted_at TEXT,
  forcebridge_synced_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, contactid)
);

-- Destination table shaped like Dataverse `account` (logical names), one set of rows per tenant.
CREATE TABLE account (
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  accountid TEXT NOT NULL,
  parentaccountid TEXT,
  ownerid TEXT,
  name TEXT,
  accountnumber TEXT,
  description TEXT,
  telephone1 TEXT,
  fax TEXT,
  websiteurl TEXT,
  sic TEXT,
  tickersymbol TEXT,
  numberofemployees INTEGER,
  revenue REAL,
  address1_line1 TEXT,
  address1_city TEXT,
  address1_stateorprovince TEXT,
  address1_postalcode TEXT,
  address1_country TEXT,
  address1_latitude REAL,
  address1_longitude REAL,
  lastusedincampaign TEXT,
  -- Forcebridge's bookkeeping: where the row came from and how fresh it is
  forcebridge_connector_id TEXT NOT NULL,
  forcebridge_salesforce_id TEXT NOT NULL,
  forcebridge_modstamp TEXT NOT NULL,
  -- set when Salesforce deleted the record and the connector keeps deleted rows (soft delete)
  forcebridge_deleted_at TEXT,
  forcebridge_synced_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, accountid)
);

-- The connector view counts each connector's rows; without these, every count scans the tenant's rows.
CREATE INDEX contact_connector ON contact (tenant_id, forcebridge_connector_id);
CREATE INDEX account_connector ON account (tenant_id, forcebridge_connector_id);
