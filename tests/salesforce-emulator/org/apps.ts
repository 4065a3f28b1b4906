/**
 * OAuth client apps as the token endpoint sees them, read from the org's metadata: External Client Apps (the app
 * plus its global OAuth settings, OAuth settings, OAuth policies and plugin policies) and legacy Connected Apps
 * (`oauthConfig`, `permissionSetName`, `profileName`). Also who an app is pre-authorized for: admin-approved apps
 * admit users holding a listed permission set or profile, or one linked to the app by SetupEntityAccess.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { permissionSetsOf } from './access';
import type { MetadataBody } from './metadata-store';
import type { Org } from './org';
import { insertRow } from './setup-data';

export type ClientApp = {
  kind: 'ExternalClientApplication' | 'ConnectedApp';
  name: string;
  label: string;
  consumerKey: string | undefined;
  consumerSecret: string | undefined;
  certificate: string | undefined;
  callbackUrls: string[];
  scopes: string[];
  adminApproved: boolean;
  permissionSets: string[];
  profiles: string[];
  consumerSecretOptional: boolean;
  pkceRequired: boolean;
  enabled: boolean;
  applicationId: string | undefined;
};

export const asBool = (value: unknown) => value === true || value === 'true';
export const asText = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value));
export const asList = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const splitList = (value: unknown) => (asText(value) ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);

/** The component of `type` that belongs to External Client App `app` (by its externalClientApplication field). */
function partOf(org: Org, type: string, app: string): MetadataBody | undefined {
  return org.metadata.list(type).find((c) => asText(c.body.externalClientApplication)?.toLowerCase() === app.toLowerCase())?.body;
}

export function clientApps(org: Org): ClientApp[] {
  const apps: ClientApp[] = [];
  for (const eca of org.metadata.list('ExternalClientApplication')) {
    const global = partOf(org, 'ExtlClntAppGlobalOauthSettings', eca.fullName) ?? {};
    const settings = partOf(org, 'ExtlClntAppOauthSettings', eca.fullName) ?? {};
    const oauthPolicies = partOf(org, 'ExtlClntAppOauthConfigurablePolicies', eca.fullName) ?? {};
    const policies = partOf(org, 'ExtlClntAppConfigurablePolicies', eca.fullName);
    apps.push({
      kind: 'ExternalClientApplication',
      name: eca.fullName,
      label: asText(eca.body.label) ?? eca.fullName,
      consumerKey: asText(global.consumerKey),
      consumerSecret: asText(global.consumerSecret),
      certificate: asText(global.certificate),
      callbackUrls: splitList(global.callbackUrl),
      scopes: splitList(settings.commaSeparatedOauthScopes),
      adminApproved: asText(oauthPolicies.permittedUsersPolicyType) === 'AdminApprovedPreAuthorized',
      permissionSets: splitList(oauthPolicies.commaSeparatedPermissionSet),
      profiles: splitList(oauthPolicies.commaSeparatedProfile),
      consumerSecretOptional: asBool(global.isConsumerSecretOptional),
      pkceRequired: asBool(global.isPkceRequired),
      // The plugin policies switch the app (isEnabled) and its OAuth plugin (isOauthPluginEnabled) on and off.
      enabled: policies === undefined || (asBool(policies.isEnabled) && policies.isOauthPluginEnabled !== 'false' && policies.isOauthPluginEnabled !== false),
      applicationId: org.switches.ecasHiddenFromConnectedApplication ? eca.id : org.findIds('ConnectedApplication', { Name: asText(eca.body.label) ?? eca.fullName })[0],
    });
  }
  for (const app of org.metadata.list('ConnectedApp')) {
    const oauth = (app.body.oauthConfig ?? {}) as MetadataBody;
    apps.push({
      kind: 'ConnectedApp',
      name: app.fullName,
      label: asText(app.body.label) ?? app.fullName,
      consumerKey: asText(oauth.consumerKey),
      consumerSecret: asText(oauth.consumerSecret),
      certificate: asText(oauth.certificate),
      callbackUrls: splitList(oauth.callbackUrl),
      scopes: asList(oauth.scopes).map((s) => String(s)),
      adminApproved: asBool(oauth.isAdminApproved),
      permissionSets: asList(app.body.permissionSetName).map(String),
      profiles: asList(app.body.profileName).map(String),
      consumerSecretOptional: asBool(oauth.isConsumerSecretOptional),
      pkceRequired: asBool(oauth.isPkceRequired),
      enabled: true,
      applicationId: org.findIds('ConnectedApplication', { Name: asText(app.body.label) ?? app.fullName })[0],
    });
  }
  return apps;
}

export function appByConsumerKey(org: Org, consumerKey: string): ClientApp | undefined {
  return clientApps(org).find((app) => app.consumerKey !== undefined && app.consumerKey === consumerKey);
}

/** Is the user let in by the app's admin-approved policy (or, for self-authorized apps, their own approval)? */
export function isAuthorizedFor(org: Org, app: ClientApp, userId: string): boolean {
  if (!app.adminApproved) return org.approvals.has(`${app.consumerKey}|${userId}`);
  const sets = permissionSetsOf(org, userId);
  // A Connected App's permissionSetName holds API names; an ECA's commaSeparatedPermissionSet is matched per the switch.
  const matches = (id: string, listed: string) => (app.kind === 'ConnectedApp' ? permissionSetNamed(org, id, listed) : permissionSetMatches(org, id, listed));
  if (app.permissionSets.some((listed) => sets.some((id) => matches(id, listed)))) return true;
  const user = org.locate(userId);
  const profile = user ? org.locate(String(org.value('User', user.index, 'ProfileId'))) : undefined;
  const profileName = profile ? String(org.value('Profile', profile.index, 'Name')).toLowerCase() : '';
  if (app.profiles.some((name) => name.toLowerCase() === profileName)) return true;
  if (!app.applicationId) return false;
  return org.find('SetupEntityAccess', { SetupEntityId: app.applicationId }).some((index) => sets.includes(String(org.value('SetupEntityAccess', index, 'ParentId'))));
}

/**
 * Does a listed pre-authorized permission set name this one? The Metadata API reference documents
 * `commaSeparatedPermissionSet` as "Permission set IDs in a comma-separated list"
 * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthconfigurablepolicies.htm);
 * files retrieved from real orgs in public repositories show API names. `preAuthorizationBy` picks which is honoured.
 */
function permissionSetMatches(org: Org, setId: string, listed: string): boolean {
  const by = org.switches.preAuthorizationBy;
  const byId = /^0PS[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(listed) && setId.slice(0, 15) === listed.slice(0, 15);
  if (by !== 'name' && byId) return true;
  return by !== 'id' && permissionSetNamed(org, setId, listed);
}

function permissionSetNamed(org: Org, setId: string, name: string): boolean {
  const row = org.locate(setId);
  return row !== undefined && String(org.value('PermissionSet', row.index, 'Name')).toLowerCase() === name.toLowerCase();
}

/** Keeps one ConnectedApplication row per client app (its Name is the app's label), as Setup lists them. */
export function syncApplicationRows(org: Org): void {
  const table = org.table('ConnectedApplication');
  if (!table) return;
  const wanted = new Map<string, { label: string; adminApproved: boolean }>();
  for (const app of clientApps(org)) {
    // External Client Apps are not Connected Apps: ConnectedApplication does not list them.
    if (app.kind === 'ExternalClientApplication' && org.switches.ecasHiddenFromConnectedApplication) continue;
    wanted.set(app.label.toLowerCase(), { label: app.label, adminApproved: app.adminApproved });
  }
  for (const index of table.indices(false)) {
    const name = String(org.value('ConnectedApplication', index, 'Name')).toLowerCase();
    if (!wanted.has(name)) table.purge(index);
    else wanted.delete(name);
  }
  for (const { label, adminApproved } of wanted.values()) {
    insertRow(org, 'ConnectedApplication', { Name: label, OptionsAllowAdminApprovedUsersOnly: adminApproved, RefreshTokenValidityPeriod: 0 });
  }
}
