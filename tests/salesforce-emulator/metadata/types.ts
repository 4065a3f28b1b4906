/**
 * Where each metadata type lives in a deploy package (folder and file suffix). The External Client App family
 * follows the Metadata API reference (ExternalClientApplication `.eca` in externalClientApps,
 * ExtlClntAppGlobalOauthSettings `.ecaGlblOauth` in extlClntAppGlobalOauthSets, ExtlClntAppOauthSettings `.ecaOauth` in
 * extlClntAppOauthSettings, ExtlClntAppOauthConfigurablePolicies `.ecaOauthPlcy` in extlClntAppOauthPolicies,
 * ExtlClntAppConfigurablePolicies `.ecaPlcy` in extlClntAppPolicies); settings are `settings/<Name>.settings`
 * whose type is `<Name>Settings`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientapplication.htm
 */

export type MetadataTypeInfo = { type: string; folder: string; suffix: string };

export const METADATA_TYPES: MetadataTypeInfo[] = [
  { type: 'ExternalClientApplication', folder: 'externalClientApps', suffix: 'eca' },
  { type: 'ExtlClntAppGlobalOauthSettings', folder: 'extlClntAppGlobalOauthSets', suffix: 'ecaGlblOauth' },
  { type: 'ExtlClntAppOauthSettings', folder: 'extlClntAppOauthSettings', suffix: 'ecaOauth' },
  { type: 'ExtlClntAppOauthConfigurablePolicies', folder: 'extlClntAppOauthPolicies', suffix: 'ecaOauthPlcy' },
  { type: 'ExtlClntAppConfigurablePolicies', folder: 'extlClntAppPolicies', suffix: 'ecaPlcy' },
  { type: 'ConnectedApp', folder: 'connectedApps', suffix: 'connectedApp' },
  { type: 'PermissionSet', folder: 'permissionsets', suffix: 'permissionset' },
];

/** The External Client App types, parent last: the order in which they must be deleted. */
export const ECA_TYPES = [
  'ExtlClntAppConfigurablePolicies',
  'ExtlClntAppOauthConfigurablePolicies',
  'ExtlClntAppGlobalOauthSettings',
  'ExtlClntAppOauthSettings',
  'ExternalClientApplication',
];

/** The type and fullName of a package file such as `externalClientApps/Forcebridge.eca`, if it is a component. */
export function componentOfPath(path: string): { type: string; fullName: string } | undefined {
  const match = /^([^/]+)\/([^/]+)\.([^./]+)$/.exec(path);
  if (!match) return undefined;
  const [, folder = '', fullName = '', suffix = ''] = match;
  if (folder === 'settings' && suffix === 'settings') return { type: `${fullName}Settings`, fullName };
  const known = METADATA_TYPES.find((t) => t.folder === folder && t.suffix === suffix);
  return known ? { type: known.type, fullName } : undefined;
}
