/**
 * What Forcebridge calls the things it creates in an org. One org belongs to one tenant, so the names are fixed
 * per org; the integration username embeds the org id because Salesforce usernames are unique across all orgs.
 */

export const APP_NAME = 'Forcebridge';
export const APP_LABEL = 'Forcebridge';
export const PERMISSION_SET_NAME = 'Forcebridge_permission_set';
export const PERMISSION_SET_LABEL = 'Forcebridge permission set';
export const INTEGRATION_USER_LAST_NAME = 'Forcebridge integration user';
/**
 * English names, for messages only. Salesforce answers with standard profile and licence names translated into the
 * admin's language, and older orgs call the profile "Salesforce API Only System Integrations": rows are found by
 * `LicenseDefinitionKey`, `DeveloperName` and permission flags, never by these.
 */
export const INTEGRATION_PROFILE_LABEL = 'Minimum Access - API Only Integrations';
export const INTEGRATION_LICENCE_LABEL = 'Salesforce Integration';
/** PermissionSetLicense.DeveloperName of the Salesforce API Integration licence (not translated). */
export const API_INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';

/** Written into descriptions, so a later attempt recognises what Forcebridge made (and heals it) from what it did not. */
export const MANAGED_MARKER = 'Managed by Forcebridge';

/**
 * From the 18-character org id: the 15-character form is case-sensitive, and usernames are not, so two orgs whose
 * ids differ only in case would collide. The last three characters encode the case of the first fifteen.
 */
export function integrationUsername(orgId: string): string {
  if (orgId.length !== 18) throw new Error(`integrationUsername needs the 18-character org id, got "${orgId}"`);
  return `forcebridge.integration.${orgId.toLowerCase()}@forcebridge.invalid`;
}

/** SOQL string literal: quotes and backslashes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
