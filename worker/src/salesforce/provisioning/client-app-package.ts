/**
 * The External Client App that lets the Worker sign in as the integration user, as a Metadata API deploy package:
 * the app, its OAuth settings (scopes), its global OAuth settings (the certificate, which enables JWT bearer), its
 * OAuth policies (admin-approved, pre-authorized for the Forcebridge permission set) and its plugin policies.
 * Folder names and suffixes: https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientapplication.htm
 */
import { strToU8, zipSync } from 'fflate';
import { API_VERSION } from '../api';

export interface ClientAppSpec {
  /** API name of the app, e.g. Forcebridge */
  name: string;
  label: string;
  contactEmail: string;
  certificatePem: string;
  /** API name of the permission set whose assignees are pre-authorized */
  permissionSetName: string;
}

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
  const types = members.map((m) => `    <types>\n        <members>${escapeXml(m.fullName)}</members>\n        <name>${m.type}</name>\n    </types>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n${types}\n    <version>${version}</version>\n</Package>\n`;
}

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
      externalClientApplication: spec.name,
      isConsumerSecretOptional: true,
      label: `${spec.label} global OAuth settings`,
    }),
    [`${oauthPlcy.folder}/${oauthPlcy.fullName}.${oauthPlcy.suffix}`]: metadataXml(oauthPlcy.type, {
      commaSeparatedPermissionSet: spec.permissionSetName,
      externalClientApplication: spec.name,
      label: `${spec.label} OAuth policies`,
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
    }),
    [`${plcy.folder}/${plcy.fullName}.${plcy.suffix}`]: metadataXml(plcy.type, {
      externalClientApplication: spec.name,
      isEnabled: true,
      isOauthPluginEnabled: true,
      label: `${spec.label} policies`,
    }),
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([path, text]) => [path, strToU8(text)])));
}

/** A deploy zip deleting the app: an empty package.xml plus destructiveChanges.xml naming every component. */
export function clientAppDestroyZip(name: string): Uint8Array {
  return zipSync({
    'package.xml': strToU8(packageXml([])),
    'destructiveChanges.xml': strToU8(packageXml([...clientAppComponents(name)])),
  });
}
