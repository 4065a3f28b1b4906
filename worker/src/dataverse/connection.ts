/**
 * Opens a stored Dataverse connection: unseals its secret or private key and returns a client for it. The sealed
 * values are bound to the connection (`dataverse:<id>:secret`, `dataverse:<id>:private_key`), like the Salesforce
 * private key, so a value copied into another row does not open.
 */
import type { DataverseConnectionRow } from '../db/dataverse-connections';
import { open } from '../secrets';
import { DataverseClient, type DataverseClientOptions } from './client';
import { dataverseEndpoints } from './hosts';
import type { DataverseCredential } from './token';

export const sealedSecretLabel = (id: string) => `dataverse:${id}:secret`;
export const sealedKeyLabel = (id: string) => `dataverse:${id}:private_key`;

export async function openDataverseConnection(env: Env, row: DataverseConnectionRow, options?: DataverseClientOptions): Promise<DataverseClient> {
  let credential: DataverseCredential;
  if (row.credential_kind === 'secret' && row.client_secret_sealed) {
    credential = { kind: 'secret', secret: await open(env.ENCRYPTION_KEY, row.client_secret_sealed, sealedSecretLabel(row.id)) };
  } else if (row.credential_kind === 'certificate' && row.certificate_pem && row.private_key_sealed) {
    credential = { kind: 'certificate', certificatePem: row.certificate_pem, privateKeyPem: await open(env.ENCRYPTION_KEY, row.private_key_sealed, sealedKeyLabel(row.id)) };
  } else {
    throw new Error(`dataverse connection ${row.id} has no usable credential`);
  }
  return new DataverseClient(
    {
      // A new credential (a new connection) never reuses another's token.
      cacheKey: `${row.id}:${row.credential_kind}`,
      endpoints: dataverseEndpoints(row.environment_url, env),
      tenantId: row.entra_tenant_id,
      clientId: row.client_id,
      credential,
    },
    options,
  );
}
