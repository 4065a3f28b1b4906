/**
 * Schemas of the setup objects the product provisions and checks (User, Profile, licences, permission sets and their
 * permissions and assignments, SetupEntityAccess, ConnectedApplication, Organization). Field names and JSON types
 * come from the Salesforce-generated OpenAPI extract (recordings/setup-objects.openapi.json) where it has the object,
 * else from the Object Reference; the describe shape comes from recorded describes (see field-describe.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/
 */
import { KEY_PREFIXES } from '../ids';
import { recordedJson, type JsonObject } from '../recordings';
import { describeField, type FieldSpec, type FieldType } from './field-describe';
import { ObjectSchema, recordedGlobalEntry, type ObjectFlags } from './schema';

type OasField = [name: string, type: string, format?: string];

/** System fields nobody writes through the API. */
const READ_ONLY = new Set([
  'Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp',
  'UserType', 'LastLoginDate', 'LastPasswordChangeDate', 'NumberOfFailedLogins', 'OfflineTrialExpirationDate',
  'OfflinePdaTrialExpirationDate', 'FullPhotoUrl', 'SmallPhotoUrl', 'MediumPhotoUrl', 'BannerPhotoUrl',
  'SmallBannerPhotoUrl', 'MediumBannerPhotoUrl', 'IsProfilePhotoActive', 'LastViewedDate', 'LastReferencedDate',
  'IsOwnedByProfile', 'IsCustom', 'NamespacePrefix', 'PermissionSetGroupId', 'Type', 'Address', 'IsRevoked',
  'SetupEntityType', 'UsedLicenses', 'TotalLicenses', 'Status', 'ContactId', 'AccountId',
]);

/** Set on create, never changed afterwards (the API answers INVALID_FIELD_FOR_INSERT_UPDATE on update). */
const CREATE_ONLY = new Set(['ParentId', 'SobjectType', 'Field', 'AssigneeId', 'PermissionSetId', 'PermissionSetLicenseId', 'SetupEntityId', 'LicenseId']);

const REFERENCES: Record<string, string[]> = {
  ProfileId: ['Profile'],
  UserRoleId: ['UserRole'],
  ManagerId: ['User'],
  DelegatedApproverId: ['Group', 'User'],
  CreatedById: ['User'],
  LastModifiedById: ['User'],
  AssigneeId: ['User'],
  PermissionSetId: ['PermissionSet'],
  PermissionSetGroupId: ['PermissionSetGroup'],
  PermissionSetLicenseId: ['PermissionSetLicense'],
  LicenseId: ['UserLicense', 'PermissionSetLicense'],
  UserLicenseId: ['UserLicense'],
  ContactId: ['Contact'],
  AccountId: ['Account'],
  CallCenterId: ['CallCenter'],
  IndividualId: ['Individual'],
  WorkspaceId: ['Workspace'],
  SetupEntityId: ['ApexClass', 'ApexPage', 'ConnectedApplication', 'CustomPermission', 'ExternalClientApplication'],
};

const PARENT_OF: Record<string, string> = {
  ObjectPermissions: 'PermissionSet',
  FieldPermissions: 'PermissionSet',
  SetupEntityAccess: 'PermissionSet',
};

const PICKLISTS = new Set([
  'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey', 'UserType', 'DigestFrequency',
  'DefaultGroupNotificationFrequency', 'GeocodeAccuracy', 'SobjectType', 'Field', 'Type', 'Status', 'Language',
]);

const LENGTHS: Record<string, number> = {
  Username: 80, LastName: 80, FirstName: 40, Email: 128, Alias: 8, CommunityNickname: 40, Title: 80, Name: 121,
  Label: 80, SobjectType: 40, Field: 100, DeveloperName: 80, MasterLabel: 80,
};

/** Fields required on create (nillable false, not defaulted), per Object Reference. */
const REQUIRED: Record<string, string[]> = {
  User: ['Username', 'LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey', 'ProfileId'],
  PermissionSet: ['Name', 'Label'],
  ObjectPermissions: ['ParentId', 'SobjectType'],
  FieldPermissions: ['ParentId', 'SobjectType', 'Field'],
  PermissionSetAssignment: ['AssigneeId'],
  PermissionSetLicenseAssign: ['AssigneeId', 'PermissionSetLicenseId'],
  SetupEntityAccess: ['ParentId', 'SetupEntityId'],
};

function typeOf(object: string, [name, json, format]: OasField): FieldType {
  if (name === 'Id') return 'id';
  if (format === 'date-time') return 'datetime';
  if (json === 'boolean') return 'boolean';
  if (json === 'integer') return 'int';
  if (json === 'number') return 'double';
  if (json === 'object') return 'address';
  if (name.endsWith('Id') && (REFERENCES[name] || (name === 'ParentId' && PARENT_OF[object]))) return 'reference';
  if (name === 'Email' || name === 'SenderEmail') return 'email';
  if (['Phone', 'Fax', 'MobilePhone'].includes(name)) return 'phone';
  if (name.endsWith('PhotoUrl') || name === 'StartUrl' || name === 'MobileStartUrl') return 'url';
  if (PICKLISTS.has(name)) return 'picklist';
  return 'string';
}

function specFor(object: string, field: OasField): FieldSpec {
  const [name] = field;
  const type = typeOf(object, field);
  const required = REQUIRED[object]?.includes(name) ?? false;
  const readOnly =
    READ_ONLY.has(name) ||
    (object === 'Profile' && !name.startsWith('Permissions')) ||
    (object === 'PermissionSet' && name === 'ProfileId') ||
    (object === 'User' && name === 'Name') ||
    READ_ONLY_OBJECTS.has(object);
  const referenceTo = type === 'reference' ? (name === 'ParentId' ? [PARENT_OF[object] ?? 'PermissionSet'] : REFERENCES[name]) : undefined;
  const compound = ['Street', 'City', 'State', 'PostalCode', 'Country', 'Latitude', 'Longitude', 'GeocodeAccuracy'].includes(name) && (object === 'User' || object === 'Organization');
  return {
    name,
    type,
    length: LENGTHS[name],
    nillable: required ? false : undefined,
    createable: !readOnly,
    updateable: !readOnly && !CREATE_ONLY.has(name),
    defaultedOnCreate: type === 'boolean' || name === 'CommunityNickname' || name === 'IsActive' ? true : undefined,
    referenceTo,
    relationshipName: type === 'reference' ? name.replace(/Id$/, '') : null,
    compoundFieldName: compound ? 'Address' : null,
    nameField: name === 'Name' && object !== 'FieldPermissions',
    unique: name === 'Username',
  };
}

const READ_ONLY_OBJECTS = new Set(['UserLicense', 'PermissionSetLicense', 'ConnectedApplication', 'Organization', 'UserPermissionAccess']);

const FLAGS: Record<string, ObjectFlags & { label: string; labelPlural: string }> = {
  User: { label: 'User', labelPlural: 'Users', createable: true, updateable: true, deletable: false, undeletable: false, queryable: true },
  Profile: { label: 'Profile', labelPlural: 'Profile', createable: false, updateable: true, deletable: false, undeletable: false, queryable: true },
  UserLicense: { label: 'User License', labelPlural: 'User Licenses', createable: false, updateable: false, deletable: false, undeletable: false, queryable: true },
  PermissionSet: { label: 'Permission Set', labelPlural: 'Permission Sets', createable: true, updateable: true, deletable: true, undeletable: false, queryable: true },
  PermissionSetAssignment: { label: 'Permission Set Assignment', labelPlural: 'Permission Set Assignments', createable: true, updateable: true, deletable: true, undeletable: false, queryable: true },
  PermissionSetLicense: { label: 'Permission Set License', labelPlural: 'Permission Set Licenses', createable: false, updateable: false, deletable: false, undeletable: false, queryable: true },
  PermissionSetLicenseAssign: { label: 'Permission Set License Assignment', labelPlural: 'Permission Set License Assignments', createable: true, updateable: false, deletable: true, undeletable: false, queryable: true },
  ObjectPermissions: { label: 'Object Permissions', labelPlural: 'Object Permissions', createable: true, updateable: true, deletable: true, undeletable: false, queryable: true },
  FieldPermissions: { label: 'Field Permissions', labelPlural: 'Field Permissions', createable: true, updateable: true, deletable: true, undeletable: false, queryable: true },
  SetupEntityAccess: { label: 'Setup Entity Access', labelPlural: 'Setup Entity Access', createable: true, updateable: false, deletable: true, undeletable: false, queryable: true },
  ConnectedApplication: { label: 'Connected App', labelPlural: 'Connected Apps', createable: false, updateable: false, deletable: false, undeletable: false, queryable: true },
  Organization: { label: 'Organization', labelPlural: 'Organizations', createable: false, updateable: false, deletable: false, undeletable: false, queryable: true },
  UserPermissionAccess: { label: 'User Permission Access', labelPlural: 'User Permission Access', createable: false, updateable: false, deletable: false, undeletable: false, queryable: true },
};

const AUDIT: OasField[] = [
  ['CreatedDate', 'string', 'date-time'], ['CreatedById', 'string'], ['LastModifiedDate', 'string', 'date-time'],
  ['LastModifiedById', 'string'], ['SystemModstamp', 'string', 'date-time'],
];

/** Object Reference field lists for the objects the OpenAPI extract does not cover. */
function handWrittenFields(object: string, permissionFields: OasField[]): OasField[] {
  switch (object) {
    case 'Profile':
      return [['Id', 'string'], ['Name', 'string'], ...permissionFields, ['UserLicenseId', 'string'], ['UserType', 'string'], ...AUDIT, ['Description', 'string'], ['LastViewedDate', 'string', 'date-time'], ['LastReferencedDate', 'string', 'date-time']];
    case 'UserLicense':
      return [['Id', 'string'], ['LicenseDefinitionKey', 'string'], ['TotalLicenses', 'integer'], ['Status', 'string'], ['UsedLicenses', 'integer'], ['UsedLicensesLastUpdated', 'string', 'date-time'], ['Name', 'string'], ['MasterLabel', 'string'], ['MonthlyLoginsUsed', 'integer'], ['MonthlyLoginsEntitlement', 'integer'], ['CreatedDate', 'string', 'date-time'], ['LastModifiedDate', 'string', 'date-time'], ['SystemModstamp', 'string', 'date-time']];
    case 'PermissionSetLicense':
      return [['Id', 'string'], ['IsDeleted', 'boolean'], ['DeveloperName', 'string'], ['Language', 'string'], ['MasterLabel', 'string'], ['NamespacePrefix', 'string'], ...AUDIT, ['PermissionSetLicenseKey', 'string'], ['TotalLicenses', 'integer'], ['Status', 'string'], ['ExpirationDate', 'string', 'date-time'], ['MaximumPermissionsApiEnabled', 'boolean'], ['MaximumPermissionsApiUserOnly', 'boolean'], ['UsedLicenses', 'integer']];
    case 'PermissionSetLicenseAssign':
      return [['Id', 'string'], ['IsDeleted', 'boolean'], ...AUDIT, ['PermissionSetLicenseId', 'string'], ['AssigneeId', 'string']];
    case 'SetupEntityAccess':
      return [['Id', 'string'], ['ParentId', 'string'], ['SetupEntityId', 'string'], ['SetupEntityType', 'string'], ['SystemModstamp', 'string', 'date-time']];
    case 'ConnectedApplication':
      return [['Id', 'string'], ['Name', 'string'], ...AUDIT, ['MobileSessionTimeout', 'string'], ['OptionsAllowAdminApprovedUsersOnly', 'boolean'], ['OptionsRefreshTokenValidityMetric', 'boolean'], ['OptionsHasSessionLevelPolicy', 'boolean'], ['OptionsIsInternal', 'boolean'], ['OptionsFullContentPushNotifications', 'boolean'], ['OptionsCodeCredentialGuestEnabled', 'boolean'], ['OptionsAppIssueJwtTokenEnabled', 'boolean'], ['PinLength', 'string'], ['StartUrl', 'string'], ['MobileStartUrl', 'string'], ['RefreshTokenValidityPeriod', 'integer'], ['UvidTimeout', 'string']];
    case 'Organization':
      return organizationFields();
    case 'UserPermissionAccess':
      return [['Id', 'string'], ['LastCacheUpdate', 'string', 'date-time'], ...permissionFields];
    default:
      throw new Error(`No field list for ${object}`);
  }
}

/** Organization's fields, typed from the recorded record (rest/Organization_record.cumulusci.json). */
function organizationFields(): OasField[] {
  const record = recordedJson<JsonObject>('rest/Organization_record.cumulusci.json');
  return Object.entries(record)
    .filter(([name]) => name !== 'attributes')
    .map(([name, value]): OasField => {
      if (name === 'Address') return [name, 'object'];
      if (typeof value === 'boolean') return [name, 'boolean'];
      if (typeof value === 'number') return [name, 'integer'];
      if (name === 'Latitude' || name === 'Longitude') return [name, 'number'];
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return [name, 'string', 'date-time'];
      return [name, 'string'];
    });
}

export const SETUP_OBJECTS = Object.keys(FLAGS);

/** Builds the schema of one setup object. */
export function setupObjectSchema(object: string): ObjectSchema {
  const flags = FLAGS[object];
  if (!flags) throw new Error(`${object} is not a setup object the emulator knows.`);
  const oas = recordedJson<Record<string, OasField[]>>('setup-objects.openapi.json');
  const permissionFields = (oas.PermissionSet ?? []).filter(([name]) => name.startsWith('Permissions'));
  const fields = oas[object] ?? handWrittenFields(object, permissionFields);
  const keyPrefix = KEY_PREFIXES[object as keyof typeof KEY_PREFIXES];
  const top = syntheticDescribeTop(object, keyPrefix, flags);
  const global = recordedGlobalEntry(object) ?? syntheticGlobalEntry(top);
  const describes = fields.map((field) => describeField(specFor(object, field)));
  return new ObjectSchema(object, keyPrefix, top, global, describes);
}

/** The top-level describe of a setup object: Contact's recorded top level with this object's own properties. */
function syntheticDescribeTop(object: string, keyPrefix: string, flags: ObjectFlags & { label: string; labelPlural: string }): JsonObject {
  const contact = recordedJson<JsonObject>('Contact_describe.cumulusci.json');
  const { fields: _fields, ...top } = structuredClone(contact);
  const base = `/services/data/vxx.0/sobjects/${object}`;
  return {
    ...top,
    actionOverrides: [],
    compactLayoutable: false,
    childRelationships: [],
    createable: flags.createable,
    deletable: flags.deletable,
    feedEnabled: false,
    keyPrefix,
    label: flags.label,
    labelPlural: flags.labelPlural,
    layoutable: false,
    mergeable: false,
    mruEnabled: false,
    name: object,
    queryable: flags.queryable,
    recordTypeInfos: [],
    replicateable: true,
    searchLayoutable: false,
    searchable: false,
    supportedScopes: [{ label: 'All ' + flags.labelPlural.toLowerCase(), name: 'everything' }],
    triggerable: false,
    undeletable: flags.undeletable,
    updateable: flags.updateable,
    urls: { rowTemplate: `${base}/{ID}`, describe: `${base}/describe`, sobject: base },
  };
}

function syntheticGlobalEntry(top: JsonObject): JsonObject {
  const account = recordedGlobalEntry('Account') ?? {};
  const entry: JsonObject = {};
  for (const key of Object.keys(account)) entry[key] = key in top ? top[key] : account[key];
  return entry;
}
