/**
 * Turns what Entra ID or Dataverse refused into an `AppError` that says what to fix. Codes relied on:
 *  - AADSTS90002 tenant not found, 700016 app not found in the tenant, 7000215 invalid secret, 7000222 expired
 *    secret, 700027 certificate not registered on the app, 500011 resource (environment) not found in the tenant:
 *    https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 *  - 0x80072560 "The user is not a member of the organization." (no application user for the app):
 *    https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes
 *  - 429 service protection: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits
 */
import { AppError } from '../errors';
import { DataverseError } from './errors';

export interface ConnectionFacts {
  environmentUrl: string;
  tenantId: string;
  clientId: string;
}

/** Said instead of a connection's facts when the connection is gone (a connector still naming a removed one). */
const GONE: ConnectionFacts = { environmentUrl: 'the Dataverse environment', tenantId: 'the Entra tenant', clientId: 'the app registration' };

export function explainDataverseError(error: unknown, facts: ConnectionFacts | null): unknown {
  if (!(error instanceof DataverseError)) return error;
  const { environmentUrl, tenantId, clientId } = facts ?? GONE;
  if (error.code === 'dataverse_connection_not_connected') {
    // Raised before any request (destinations/for-connector.ts): 404 when the connection is gone, else never tested OK.
    const message =
      error.status === 404
        ? 'The Dataverse environment this connector writes to has been removed from Forcebridge. Edit the connector and choose another destination, or add the environment again and choose it; then try again.'
        : `The Dataverse connection this connector writes to${facts ? ` (${environmentUrl})` : ''} has not passed Test connection, so nothing can be written to it. Open Dataverse environments in the Connectors panel, run Test connection and fix what it reports; then try again.`;
    return new AppError('dataverse_connection_not_connected', 409, message, { cause: error });
  }
  const said = `(${error.code ? `${error.code}: ` : ''}${error.message})`;
  if (error.source === 'network') {
    const where = error.message.startsWith('Entra ID') ? 'Entra ID' : environmentUrl;
    return new AppError(error.code === 'timeout' ? 'dataverse_unavailable' : 'dataverse_environment_unreachable', 502, `${where} could not be reached ${said}. Check the environment URL in the Power Platform admin center and try again.`);
  }
  if (error.source === 'entra') {
    switch (error.code) {
      case 'AADSTS90002':
      case 'AADSTS900023':
        return new AppError('dataverse_tenant_not_found', 400, `Entra ID does not know the tenant "${tenantId}" ${said}. Enter the Directory (tenant) ID from the app registration's Overview page.`);
      case 'AADSTS700016':
        return new AppError('dataverse_client_not_found', 400, `There is no application "${clientId}" in tenant ${tenantId} ${said}. Enter the Application (client) ID from the app registration's Overview page, and check the tenant id.`);
      case 'AADSTS7000215':
        return new AppError('dataverse_secret_invalid', 400, `Entra ID refused the client secret ${said}. Copy the secret's Value (not its Secret ID) from Certificates & secrets, or create a new one, and save the connection again.`);
      case 'AADSTS7000222':
        return new AppError('dataverse_secret_expired', 400, `The client secret has expired ${said}. Create a new secret under Certificates & secrets in the app registration and save the connection again with it.`);
      case 'AADSTS700027':
      case 'AADSTS700024':
        return new AppError('dataverse_certificate_not_uploaded', 400, `Entra ID does not accept this connection's certificate ${said}. Upload the certificate shown for this connection to the app registration (Certificates & secrets → Certificates → Upload certificate), wait a minute, then test again.`);
      case 'AADSTS500011':
      case 'AADSTS1002012':
        return new AppError('dataverse_environment_mismatch', 400, `Entra ID tenant ${tenantId} has no Dataverse environment at ${environmentUrl} ${said}. Check the environment URL, and that the environment belongs to this tenant.`);
      default:
        if (error.status >= 500) return new AppError('dataverse_unavailable', 502, `Entra ID is not answering normally ${said}. Try again in a few minutes.`);
        return new AppError('dataverse_sign_in_failed', 400, `Entra ID refused to sign in the application ${said}. Check the tenant id, client id and credential of the connection.`);
    }
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds ?? 1;
    return new AppError('dataverse_throttled', 429, `Dataverse is throttling this application (service protection limits) ${said}. Try again in ${wait} second${wait === 1 ? '' : 's'}.`);
  }
  if (error.code === '0x80072560' || (error.status === 403 && /not a member of the organization/i.test(error.message))) {
    return new AppError('dataverse_no_application_user', 400, `The app ${clientId} signs in, but ${environmentUrl} has no application user for it ${said}. In the Power Platform admin center open the environment → Settings → Users + permissions → Application users → New app user, add app ${clientId}, and give it a security role.`);
  }
  if (error.status === 401) {
    return new AppError('dataverse_environment_mismatch', 400, `${environmentUrl} refused the token ${said}. Check that the environment URL is the one of this tenant's environment.`);
  }
  if (error.status === 403) {
    return new AppError('dataverse_privilege_missing', 400, `The application user is not allowed to do this in ${environmentUrl} ${said}. Give it a security role with the privileges named, then try again.`);
  }
  if (error.status === 404 && error.code === '') {
    return new AppError('dataverse_environment_mismatch', 400, `${environmentUrl} did not answer like a Dataverse environment (${error.message}). Check the environment URL.`);
  }
  if (error.status >= 500) return new AppError('dataverse_unavailable', 502, `Dataverse is not answering normally ${said}. Try again in a few minutes.`);
  return new AppError('dataverse_error', 502, `Dataverse refused the request ${said}. Try again; if it persists, check the environment in the Power Platform admin center.`);
}
