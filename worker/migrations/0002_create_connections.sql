-- A tenant's server-to-server connection to one Salesforce org, and the artifacts provisioning made there.
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  instance_url TEXT NOT NULL,
  login_audience TEXT NOT NULL,
  -- 'provisioning' | 'connected' | 'failed' | 'deprovisioning' | 'off'
  status TEXT NOT NULL,
  -- the operation under way or last run: 'turn_on' | 'turn_off' | 'reconnect' | 'update_permissions'
  operation TEXT NOT NULL,
  app_kind TEXT,
  app_name TEXT NOT NULL,
  consumer_key TEXT,
  integration_username TEXT NOT NULL,
  integration_user_id TEXT,
  permission_set_name TEXT NOT NULL,
  permission_set_id TEXT,
  -- the object/field read access the permission set grants (JSON), as provisioned
  granted_access TEXT,
  certificate_pem TEXT,
  -- AES-GCM sealed (see worker/src/secrets.ts), never returned by the API
  private_key_sealed TEXT,
  access_token_sealed TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  connected_at TEXT,
  verified_at TEXT,
  last_error_step TEXT,
  last_error_code TEXT,
  last_error_message TEXT,
  -- the last drift check's findings (JSON array), empty when none
  drift TEXT,
  -- while set and in the future, one request is working on the connection and others must not
  lease_until TEXT
);

CREATE UNIQUE INDEX connections_tenant_org ON connections (tenant_id, org_id);
-- One Salesforce org belongs to one tenant: at most one connection per org that is not off.
CREATE UNIQUE INDEX connections_live_org ON connections (org_id) WHERE status <> 'off';

-- Each provisioning step of the connection's current operation, so a failure part-way is reported exactly and
-- the next attempt resumes, heals or cleans up instead of failing on duplicates.
CREATE TABLE connection_steps (
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  operation TEXT NOT NULL,
  position INTEGER NOT NULL,
  step TEXT NOT NULL,
  -- 'pending' | 'running' | 'done' | 'failed' | 'skipped'
  status TEXT NOT NULL,
  detail TEXT,
  -- non-secret state a step carries to its next call (e.g. a Metadata deploy id), JSON
  state TEXT,
  error_code TEXT,
  error_message TEXT,
  started_at TEXT,
  finished_at TEXT,
  PRIMARY KEY (connection_id, step)
);
