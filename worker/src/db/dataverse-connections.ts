/** Queries on `dataverse_connections`. Every read that serves a client is scoped by tenant. */
export type DataverseConnectionStatus = 'untested' | 'connected' | 'failed';

export interface DataverseConnectionRow {
  id: string;
  tenant_id: string;
  environment_url: string;
  entra_tenant_id: string;
  client_id: string;
  credential_kind: 'secret' | 'certificate';
  client_secret_sealed: string | null;
  certificate_pem: string | null;
  certificate_thumbprint: string | null;
  certificate_expires_at: string | null;
  private_key_sealed: string | null;
  status: DataverseConnectionStatus;
  application_user_id: string | null;
  application_user_name: string | null;
  business_unit_id: string | null;
  business_unit_name: string | null;
  organization_id: string | null;
  tested_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  created_at: string;
}

export function findDataverseConnection(db: D1Database, tenantId: string, id: string): Promise<DataverseConnectionRow | null> {
  return db.prepare('SELECT * FROM dataverse_connections WHERE id = ?1 AND tenant_id = ?2').bind(id, tenantId).first<DataverseConnectionRow>();
}

export async function listDataverseConnections(db: D1Database, tenantId: string): Promise<DataverseConnectionRow[]> {
  const { results } = await db.prepare('SELECT * FROM dataverse_connections WHERE tenant_id = ?1 ORDER BY created_at').bind(tenantId).all<DataverseConnectionRow>();
  return results;
}

export function findDataverseConnectionForEnvironment(db: D1Database, tenantId: string, environmentUrl: string): Promise<DataverseConnectionRow | null> {
  return db.prepare('SELECT * FROM dataverse_connections WHERE tenant_id = ?1 AND environment_url = ?2').bind(tenantId, environmentUrl).first<DataverseConnectionRow>();
}

export type NewDataverseConnection = Pick<
  DataverseConnectionRow,
  'id' | 'tenant_id' | 'environment_url' | 'entra_tenant_id' | 'client_id' | 'credential_kind' | 'client_secret_sealed' | 'certificate_pem' | 'certificate_thumbprint' | 'certificate_expires_at' | 'private_key_sealed'
>;

export async function insertDataverseConnection(db: D1Database, row: NewDataverseConnection): Promise<void> {
  await db
    .prepare(
      `INSERT INTO dataverse_connections (id, tenant_id, environment_url, entra_tenant_id, client_id, credential_kind, client_secret_sealed,
         certificate_pem, certificate_thumbprint, certificate_expires_at, private_key_sealed, status)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'untested')`,
    )
    .bind(row.id, row.tenant_id, row.environment_url, row.entra_tenant_id, row.client_id, row.credential_kind, row.client_secret_sealed, row.certificate_pem, row.certificate_thumbprint, row.certificate_expires_at, row.private_key_sealed)
    .run();
}

export type DataverseTestResult = Pick<
  DataverseConnectionRow,
  'status' | 'application_user_id' | 'application_user_name' | 'business_unit_id' | 'business_unit_name' | 'organization_id' | 'tested_at' | 'last_error_code' | 'last_error_message'
>;

export async function recordDataverseTest(db: D1Database, id: string, result: DataverseTestResult): Promise<void> {
  await db
    .prepare(
      `UPDATE dataverse_connections SET status = ?2, application_user_id = ?3, application_user_name = ?4, business_unit_id = ?5,
         business_unit_name = ?6, organization_id = ?7, tested_at = ?8, last_error_code = ?9, last_error_message = ?10 WHERE id = ?1`,
    )
    .bind(id, result.status, result.application_user_id, result.application_user_name, result.business_unit_id, result.business_unit_name, result.organization_id, result.tested_at, result.last_error_code, result.last_error_message)
    .run();
}

export async function deleteDataverseConnection(db: D1Database, tenantId: string, id: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM dataverse_connections WHERE id = ?1 AND tenant_id = ?2').bind(id, tenantId).run();
  return result.meta.changes > 0;
}
