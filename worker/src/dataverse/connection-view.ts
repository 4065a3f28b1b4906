/** A stored Dataverse connection as the API shows it: never the secret or the private key. */
import type { DataverseConnection } from '../../../shared/dataverse';
import type { DataverseConnectionRow } from '../db/dataverse-connections';

/**
 * Uploading a certificate to an app registration:
 * https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials?tabs=certificate
 */
export function certificateUploadSteps(clientId: string, thumbprint: string): string[] {
  return [
    'Save the certificate below as forcebridge-dataverse.cer (copy the whole text, BEGIN and END lines included).',
    `In the Microsoft Entra admin center open Identity → Applications → App registrations → the app whose Application (client) ID is ${clientId}.`,
    'Open Certificates & secrets → Certificates → Upload certificate, choose the file, add a description such as "Forcebridge", and select Add.',
    `Check that the list shows thumbprint ${thumbprint}, then come back and select Test connection (Entra ID can take a minute to accept a new certificate).`,
  ];
}

export function dataverseConnectionView(row: DataverseConnectionRow): DataverseConnection {
  return {
    id: row.id,
    environmentUrl: row.environment_url,
    tenantId: row.entra_tenant_id,
    clientId: row.client_id,
    credential: row.credential_kind,
    certificate:
      row.credential_kind === 'certificate' && row.certificate_pem && row.certificate_thumbprint
        ? { pem: row.certificate_pem, thumbprint: row.certificate_thumbprint, expiresAt: row.certificate_expires_at, uploadSteps: certificateUploadSteps(row.client_id, row.certificate_thumbprint) }
        : null,
    status: row.status,
    applicationUser: row.application_user_id
      ? { id: row.application_user_id, name: row.application_user_name ?? '', businessUnitId: row.business_unit_id, businessUnitName: row.business_unit_name }
      : null,
    testedAt: row.tested_at,
    lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message ?? '' } : null,
    createdAt: row.created_at,
  };
}
