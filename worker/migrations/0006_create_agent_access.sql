-- Agent access: credentials AI agents use on /mcp, the record of every tool call, the per-connection switch for
-- live tools, and a full-text index over the copied contacts and accounts.

-- An agent credential works only on /mcp (never on /api). Like api_keys, only the SHA-256 hash of its key is kept;
-- the key is shown once, when it is created. The rate limit counts calls in a fixed one-minute window kept here.
CREATE TABLE agent_credentials (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_used_at TEXT,
  revoked_at TEXT,
  window_started_at TEXT,
  window_calls INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX agent_credentials_tenant ON agent_credentials (tenant_id);

-- Every tool call an agent made: who, what (arguments summarised, never secrets), how much it returned and cost.
CREATE TABLE agent_calls (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  credential_id TEXT NOT NULL,
  tool TEXT NOT NULL,
  arguments TEXT NOT NULL,
  -- 'ok' | 'error' | 'rate_limited'
  outcome TEXT NOT NULL,
  error_message TEXT,
  rows_returned INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL,
  salesforce_api_calls INTEGER NOT NULL DEFAULT 0,
  called_at TEXT NOT NULL
);
CREATE INDEX agent_calls_tenant ON agent_calls (tenant_id, called_at);

-- Live tools (soqlQuery, getRecordLive) read Salesforce as the integration user and spend API calls: off unless the
-- admin switched them on for the connection.
CREATE TABLE agent_live_tools (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  enabled_at TEXT NOT NULL
);

-- Full-text search over contacts and accounts. FTS5 is among the SQLite extensions D1 supports:
-- https://developers.cloudflare.com/d1/sql-api/sql-statements/ ("Supported SQLite extensions").
-- `search_keys` gives each indexed record a stable integer (the FTS rowid); the destination tables' own rowids are
-- not stable (they have no INTEGER PRIMARY KEY, so VACUUM may renumber them).
CREATE TABLE search_keys (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  UNIQUE (tenant_id, table_name, record_id)
);
CREATE VIRTUAL TABLE record_search USING fts5 (name, email, phone, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

-- What is indexed for each record, in one place for the sync's statements and the backfill below. Phones are also
-- indexed as bare digits, so "+1 (415) 555-0100" is found by "4155550100".
CREATE VIEW search_text AS
  SELECT tenant_id, 'contact' AS table_name, contactid AS record_id,
         trim(coalesce(salutation || ' ', '') || coalesce(firstname || ' ', '') || coalesce(lastname, '') || coalesce(' ' || nickname, '')) AS name,
         trim(coalesce(emailaddress1, '') || ' ' || coalesce(emailaddress2, '')) AS email,
         trim(coalesce(telephone1, '') || ' ' || coalesce(telephone2, '') || ' ' || coalesce(mobilephone, '') || ' ' ||
           replace(replace(replace(replace(replace(replace(coalesce(telephone1, '') || ' ' || coalesce(mobilephone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')) AS phone
    FROM contact
  UNION ALL
  SELECT tenant_id, 'account', accountid,
         trim(coalesce(name, '') || coalesce(' ' || accountnumber, '') || coalesce(' ' || tickersymbol, '')),
         coalesce(websiteurl, ''),
         trim(coalesce(telephone1, '') || ' ' ||
           replace(replace(replace(replace(replace(replace(coalesce(telephone1, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''))
    FROM account;

-- Backfill: index the rows copied before this migration.
INSERT INTO search_keys (tenant_id, table_name, record_id) SELECT tenant_id, table_name, record_id FROM search_text;
INSERT INTO record_search (rowid, name, email, phone)
  SELECT k.id, t.name, t.email, t.phone
    FROM search_text t JOIN search_keys k ON k.tenant_id = t.tenant_id AND k.table_name = t.table_name AND k.record_id = t.record_id;

-- What agents filter and join on: an account's contacts, and the common look-ups.
CREATE INDEX contact_parent ON contact (tenant_id, parentcustomerid);
CREATE INDEX contact_email ON contact (tenant_id, emailaddress1);
CREATE INDEX contact_lastname ON contact (tenant_id, lastname);
CREATE INDEX account_name ON account (tenant_id, name);
