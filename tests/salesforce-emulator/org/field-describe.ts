/**
 * Builds describe field entries for the objects whose describe was not recorded (the setup objects, custom fields).
 * Every entry starts from a real recorded field (Contact.Email in describe/Contact_describe.cumulusci.json), so it
 * carries exactly the keys real describes carry, and only the properties that differ by type are changed.
 */
import { recordedJson, type JsonObject } from '../recordings';

export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'address';

export type FieldSpec = {
  name: string;
  type: FieldType;
  label?: string;
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  permissionable?: boolean;
  custom?: boolean;
  referenceTo?: string[];
  relationshipName?: string | null;
  compoundFieldName?: string | null;
  unique?: boolean;
  externalId?: boolean;
  nameField?: boolean;
  idLookup?: boolean;
};

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  address: 'urn:address',
};

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 255,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
};

let template: JsonObject | undefined;

function emailTemplate(): JsonObject {
  if (!template) {
    const contact = recordedJson<{ fields: JsonObject[] }>('Contact_describe.cumulusci.json');
    const email = contact.fields.find((f) => f.name === 'Email');
    if (!email) throw new Error('describe/Contact_describe.cumulusci.json has no Email field to use as a template');
    template = email;
  }
  return template;
}

/** "LastModifiedById" → "Last Modified By ID"; "PermissionsApiEnabled" → "Permissions Api Enabled". */
export function labelFor(name: string): string {
  const base = name.replace(/__c$/, '').replace(/_/g, ' ');
  return base
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/ Id$/, ' ID')
    .replace(/^Id$/, 'ID');
}

export function describeField(spec: FieldSpec): JsonObject {
  const type = spec.type;
  const length = spec.length ?? DEFAULT_LENGTH[type] ?? 0;
  const isText = ['string', 'textarea', 'email', 'phone', 'url', 'picklist'].includes(type);
  const isNumber = ['int', 'double', 'currency', 'percent'].includes(type);
  const nillable = spec.nillable ?? (type !== 'boolean' && type !== 'id');
  const field: JsonObject = {
    ...emailTemplate(),
    aggregatable: type !== 'address' && type !== 'textarea',
    byteLength: type === 'id' || type === 'reference' ? 18 : isText ? length * 3 : 0,
    calculated: false,
    caseSensitive: false,
    compoundFieldName: spec.compoundFieldName ?? null,
    createable: spec.createable ?? false,
    custom: spec.custom ?? false,
    defaultedOnCreate: spec.defaultedOnCreate ?? (type === 'boolean' || type === 'id'),
    digits: type === 'int' ? 9 : 0,
    externalId: spec.externalId ?? false,
    filterable: type !== 'textarea' || length <= 255,
    groupable: !isNumber && type !== 'datetime' && type !== 'address' && type !== 'textarea',
    idLookup: spec.idLookup ?? (type === 'id' || spec.name === 'Username' || spec.name === 'Email'),
    label: spec.label ?? labelFor(spec.name),
    length: isText || type === 'id' || type === 'reference' ? length : 0,
    name: spec.name,
    nameField: spec.nameField ?? false,
    nillable,
    permissionable: spec.permissionable ?? false,
    picklistValues: [],
    polymorphicForeignKey: (spec.referenceTo?.length ?? 0) > 1,
    precision: type === 'double' || type === 'currency' || type === 'percent' ? 18 : 0,
    queryByDistance: type === 'address',
    referenceTo: spec.referenceTo ?? [],
    relationshipName: spec.relationshipName ?? null,
    restrictedPicklist: false,
    scale: 0,
    searchPrefilterable: type === 'reference',
    soapType: SOAP_TYPES[type],
    sortable: type !== 'address' && type !== 'textarea',
    type,
    unique: spec.unique ?? false,
    updateable: spec.updateable ?? false,
  };
  return field;
}
