/**
 * The External Client App that lets the Worker sign in as the integration user, as Metadata API deploy packages:
 * the app, its OAuth settings (scopes), its global OAuth settings (the consumer key Forcebridge chose and the
 * certificate, which enables JWT bearer), its OAuth policies (admin-approved, pre-authorized for the Forcebridge
 * permission set) and its plugin policies; a second package brings every policy component the org really has for
 * the app (Salesforce generates some itself) to the same content; the delete package names what exists.
 * Folder names and suffixes: https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientapplication.htm
 * Global OAuth settings (`consumerKey`, `certificate`): https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm
 */
import { strToU8, zipSync } from 'fflate';
import { API_VERSION } from '../api';

export interface ClientAppSpec {
  /** API name of the app, e.g. Forcebridge */
  name: string;
  label: string;
  contactEmail: string;
  certificatePem: string;
  /** the OAuth client id, chosen by Forcebridge and saved before the deploy (never read back from Salesforce) */
  consumerKey: string;
  /**
   * Id of the permission set whose assignees are pre-authorized: the Metadata API reference documents
   * `commaSeparatedPermissionSet` as "Permission set IDs in a comma-separated list"
   * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthconfigurablepolicies.htm),
   * although files retrieved from orgs in public repositories show API names.
   */
  permissionSetId: string;
}

export type ComponentRef = { type: string; fullName: string };

/** The metadata components an app consists of, in the order Salesforce deletes them (policies, settings, app). */
export function clientAppComponents(name: string) {
  return [
    { type: 'ExtlClntAppConfigurablePolicies', fullName: `${name}_plcy`, folder: 'extlClntAppPolicies', suffix: 'ecaPlcy' },
    { type: 'ExtlClntAppOauthConfigurablePolicies', fullName: `${name}_oauthPlcy`, folder: 'extlClntAppOauthPolicies', suffix: 'ecaOauthPlcy' },
    { type: 'ExtlClntAppGlobalOauthSettings', fullName: `${name}_glbloauth`, folder: 'extlClntAppGlobalOauthSets', suffix: 'ecaGlblOauth' },
    { type: 'ExtlClntAppOauthSettings', fullName: `${name}_oauth`, folder: 'extlClntAppOauthSettings', suffix: 'ecaOauth' },
    { type: 'ExternalClientApplication', fullName: name, folder: 'externalClientApps', suffix: 'eca' },
  ] as const;
}

const escapeXml = (value: string) => value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function metadataXml(type: string, fields: Record<string, string | boolean>): string {
  const body = Object.entries(fields)
    .map(([key, value]) => `    <${key}>${escapeXml(String(value))}</${key}>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}\n</${type}>\n`;
}

function packageXml(members: { type: string; fullName: string }[], version = API_VERSION): string {
  const byType = new Map<string, string[]>();
  for (const m of members) byType.set(m.type, [...(byType.get(m.type) ?? []), m.fullName]);
  const types = [...byType]
    .map(([type, names]) => `    <types>\n${names.map((n) => `        <members>${escapeXml(n)}</members>\n`).join('')}        <name>${type}</name>\n    </types>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types}${types ? '\n' : ''}    <version>${version}</version>\n</Package>\n`;
}

const fileOf = (type: string, fullName: string) => {
  const info = clientAppComponents('').find((c) => c.type === type);
  if (!info) throw new Error(`not an External Client App component type: ${type}`);
  return `${info.folder}/${fullName}.${info.suffix}`;
};

const oauthPolicyFields = (spec: ClientAppSpec, label: string) => ({
  commaSeparatedPermissionSet: spec.permissionSetId,
  externalClientApplication: spec.name,
  label,
  permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
});

const pluginPolicyFields = (spec: ClientAppSpec, label: string) => ({
  externalClientApplication: spec.name,
  isEnabled: true,
  isOauthPluginEnabled: true,
  label,
});

/** A deploy zip creating (or updating) the app. */
export function clientAppDeployZip(spec: ClientAppSpec): Uint8Array {
  const [plcy, oauthPlcy, glblOauth, oauth, app] = clientAppComponents(spec.name);
  const files: Record<string, string> = {
    'package.xml': packageXml([app, oauth, glblOauth, oauthPlcy, plcy]),
    [`${app.folder}/${app.fullName}.${app.suffix}`]: metadataXml(app.type, {
      contactEmail: spec.contactEmail,
      description: 'Server-to-server access for Forcebridge. Managed by Forcebridge: turn it off from the Connectors panel.',
      distributionState: 'Local',
      isProtected: false,
      label: spec.label,
    }),
    [`${oauth.folder}/${oauth.fullName}.${oauth.suffix}`]: metadataXml(oauth.type, {
      commaSeparatedOauthScopes: 'Api,RefreshToken',
      externalClientApplication: spec.name,
      label: `${spec.label} OAuth settings`,
    }),
    [`${glblOauth.folder}/${glblOauth.fullName}.${glblOauth.suffix}`]: metadataXml(glblOauth.type, {
      // Required by the OAuth plugin; the JWT bearer flow never redirects.
      callbackUrl: 'https://login.salesforce.com/services/oauth2/success',
      certificate: spec.certificatePem,
      consumerKey: spec.consumerKey,
      externalClientApplication: spec.name,
      isConsumerSecretOptional: true,
      label: `${spec.label} global OAuth settings`,
    }),
    [`${oauthPlcy.folder}/${oauthPlcy.fullName}.${oauthPlcy.suffix}`]: metadataXml(oauthPlcy.type, oauthPolicyFields(spec, `${spec.label} OAuth policies`)),
    [`${plcy.folder}/${plcy.fullName}.${plcy.suffix}`]: metadataXml(plcy.type, pluginPolicyFields(spec, `${spec.label} policies`)),
  };
  return zipped(files);
}

/** A deploy zip giving each of these existing policy components (of either policy type) Forcebridge's policy. */
export function clientAppPoliciesZip(spec: ClientAppSpec, policies: ComponentRef[]): Uint8Array {
  const files: Record<string, string> = { 'package.xml': packageXml(policies) };
  for (const policy of policies) {
    const fields = policy.type === 'ExtlClntAppOauthConfigurablePolicies' ? oauthPolicyFields(spec, policy.fullName) : pluginPolicyFields(spec, policy.fullName);
    files[fileOf(policy.type, policy.fullName)] = metadataXml(policy.type, fields);
  }
  return zipped(files);
}

/** A deploy zip deleting exactly these components: an empty package.xml plus destructiveChanges.xml naming them. */
export function clientAppDestroyZip(components: ComponentRef[]): Uint8Array {
  return zipped({ 'package.xml': packageXml([]), 'destructiveChanges.xml': packageXml(components) });
}

const zipped = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
