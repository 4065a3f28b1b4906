-- A tenant's connection to one Microsoft Dataverse environment: the Entra ID app registration it signs in as
-- (client credentials) and what Test connection learnt about its application user. The client secret, or the
-- private key of the certificate the Worker generated, is AES-GCM sealed (worker/src/secrets.ts) and never returned.
CREATE TABLE dataverse_connections (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- the environment's origin, e.g. https://contoso.crm.dynamics.com
  environment_url TEXT NOT NULL,
  entra_tenant_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  -- 'secret' | 'certificate'
  credential_kind TEXT NOT NULL,
  client_secret_sealed TEXT,
  certificate_pem TEXT,
  certificate_thumbprint TEXT,
  certificate_expires_at TEXT,
  private_key_sealed TEXT,
  -- 'untested' | 'connected' | 'failed'
  status TEXT NOT NULL,
  application_user_id TEXT,
  application_user_name TEXT,
  business_unit_id TEXT,
  business_unit_name TEXT,
  organization_id TEXT,
  tested_at TEXT,
  last_error_code TEXT,
  last_error_message TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- One connection per environment per tenant.
CREATE UNIQUE INDEX dataverse_connections_tenant_environment ON dataverse_connections (tenant_id, environment_url);

-- Where each connector writes (JSON, shared/api.ts ConnectorDestinationSchema): {"kind":"d1"} or
-- {"kind":"dataverse","dataverseConnectionId","teamId"}.
ALTER TABLE connectors ADD COLUMN destination TEXT NOT NULL DEFAULT '{"kind":"d1"}';
