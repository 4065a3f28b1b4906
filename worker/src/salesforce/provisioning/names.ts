/**
 * What Forcebridge calls the things it creates in an org. One org belongs to one tenant, so the names are fixed
 * per org; the integration username embeds the org id because Salesforce usernames are unique across all orgs.
 */

export const APP_NAME = 'Forcebridge';
export const APP_LABEL = 'Forcebridge';
export const PERMISSION_SET_NAME = 'Forcebridge_permission_set';
export const PERMISSION_SET_LABEL = 'Forcebridge permission set';
export const INTEGRATION_USER_LAST_NAME = 'Forcebridge integration user';
export const INTEGRATION_PROFILE = 'Minimum Access - API Only Integrations';
export const INTEGRATION_USER_LICENCE = 'Salesforce Integration';
export const API_INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';

/** Written into descriptions, so a later attempt recognises what Forcebridge made (and heals it) from what it did not. */
export const MANAGED_MARKER = 'Managed by Forcebridge';

export function integrationUsername(orgId: string): string {
  return `forcebridge.integration.${orgId.slice(0, 15).toLowerCase()}@forcebridge.invalid`;
}

/** SOQL string literal: quotes and backslashes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
