/**
 * The tables the emulated environment has, with the column facts a writer reads from `EntityDefinitions`: types,
 * MaxLength, ranges, required levels, lookup targets and their navigation properties. Every number comes from
 * limits.md §4–§6 (Microsoft's contact/account/team reference pages); system columns (ids, owner, created/modified,
 * state/status) follow the same pages. Columns outside those pages are not invented.
 */

export type AttributeType = 'Uniqueidentifier' | 'String' | 'Memo' | 'Integer' | 'Double' | 'Money' | 'Picklist' | 'State' | 'Status' | 'Boolean' | 'DateTime' | 'Lookup' | 'Customer' | 'Owner';

export type RequiredLevel = 'None' | 'Recommended' | 'ApplicationRequired' | 'SystemRequired';

export type Column = {
  logicalName: string;
  type: AttributeType;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  /** Decimal places a Double keeps (Dataverse rounds on write: 47.639583 reads back 47.63958). */
  precision?: number;
  required: RequiredLevel;
  /** Lookup targets (table logical names) and the navigation property a bind uses for each. */
  targets?: { table: string; navigation: string }[];
  options?: Record<number, string>;
  validForCreate: boolean;
  validForUpdate: boolean;
  isPrimaryId?: boolean;
  isPrimaryName?: boolean;
  /**
   * A DateTime column with the DateOnly behaviour (contact.birthdate): the Web API exposes it as `Edm.Date`, so only a
   * `yyyy-MM-dd` value is accepted (behavior-format-date-time-attribute.md; README "date-only columns").
   */
  dateOnly?: boolean;
};

export type TableDefinition = {
  logicalName: string;
  entitySetName: string;
  primaryId: string;
  primaryName: string;
  ownershipType: 'UserOwned' | 'BusinessOwned' | 'OrganizationOwned';
  objectTypeCode: number;
  columns: Column[];
  /** By logical name. */
  byName: Map<string, Column>;
  /** By navigation property name (`parentcustomerid_account` → parentcustomerid; `ownerid` → systemuser or team). */
  byNavigation: Map<string, { column: Column; tables: string[] }>;
  /** Collection-valued navigation properties: the rows of `table` whose lookup `column` points here. */
  collections?: Record<string, { table: string; column: string }>;
};

const text = (logicalName: string, maxLength: number, required: RequiredLevel = 'None'): Column => ({
  logicalName,
  type: 'String',
  maxLength,
  required,
  validForCreate: true,
  validForUpdate: true,
});
const memo = (logicalName: string, maxLength = 2000): Column => ({ ...text(logicalName, maxLength), type: 'Memo' });
const money = (logicalName: string): Column => ({ logicalName, type: 'Money', minValue: 0, maxValue: 100000000000000, required: 'None', validForCreate: true, validForUpdate: true });
const system = (logicalName: string, type: AttributeType, extra: Partial<Column> = {}): Column => ({
  logicalName,
  type,
  required: 'None',
  validForCreate: false,
  validForUpdate: false,
  ...extra,
});
const lookup = (logicalName: string, type: 'Lookup' | 'Customer' | 'Owner', targets: { table: string; navigation: string }[], required: RequiredLevel = 'None'): Column => ({
  logicalName,
  type,
  targets,
  required,
  validForCreate: true,
  validForUpdate: true,
});
const owner = () => lookup('ownerid', 'Owner', [{ table: 'systemuser', navigation: 'ownerid' }, { table: 'team', navigation: 'ownerid' }], 'SystemRequired');
const audit = () => [system('createdon', 'DateTime'), system('modifiedon', 'DateTime')];
const address1 = (withAccountColumns: boolean) => [
  text('address1_city', 80),
  text('address1_country', 80),
  text('address1_county', 50),
  text('address1_line1', 250),
  text('address1_line2', 250),
  text('address1_line3', 250),
  ...(withAccountColumns ? [text('address1_postalcode', 20), text('address1_stateorprovince', 50), text('address1_name', 200), text('address1_telephone1', 50)] : []),
];
const stateAndStatus = () => [
  { ...system('statecode', 'State', { options: { 0: 'Active', 1: 'Inactive' }, required: 'SystemRequired' }), validForUpdate: true },
  { ...system('statuscode', 'Status', { options: { 1: 'Active', 2: 'Inactive' } }), validForCreate: true, validForUpdate: true },
];

function table(definition: Omit<TableDefinition, 'byName' | 'byNavigation'>): TableDefinition {
  const byName = new Map(definition.columns.map((column) => [column.logicalName, column]));
  const byNavigation = new Map<string, { column: Column; tables: string[] }>();
  for (const column of definition.columns) {
    for (const target of column.targets ?? []) {
      const entry = byNavigation.get(target.navigation) ?? { column, tables: [] };
      entry.tables.push(target.table);
      byNavigation.set(target.navigation, entry);
    }
  }
  return { ...definition, byName, byNavigation };
}

/** contact (limits.md §4). `fullname` is computed from first and last name, as Dataverse's default format does. */
const contact = table({
  logicalName: 'contact',
  entitySetName: 'contacts',
  primaryId: 'contactid',
  primaryName: 'fullname',
  ownershipType: 'UserOwned',
  objectTypeCode: 2,
  columns: [
    { ...system('contactid', 'Uniqueidentifier', { isPrimaryId: true }), validForCreate: true },
    system('fullname', 'String', { maxLength: 160, isPrimaryName: true }),
    text('firstname', 50, 'Recommended'),
    text('lastname', 50, 'ApplicationRequired'),
    text('middlename', 50),
    text('emailaddress1', 100),
    text('emailaddress2', 100),
    text('emailaddress3', 100),
    text('telephone1', 50),
    text('telephone2', 50),
    text('telephone3', 50),
    text('mobilephone', 50),
    text('fax', 50),
    text('salutation', 100),
    text('department', 100),
    text('assistantname', 100),
    text('assistantphone', 50),
    text('jobtitle', 100),
    text('suffix', 10),
    text('nickname', 100),
    memo('description'),
    money('annualincome'),
    // Date-only columns (contact.md: BirthDate and Anniversary, Format DateOnly, behaviour DateOnly).
    { logicalName: 'birthdate', type: 'DateTime', dateOnly: true, required: 'None', validForCreate: true, validForUpdate: true },
    { logicalName: 'anniversary', type: 'DateTime', dateOnly: true, required: 'None', validForCreate: true, validForUpdate: true },
    ...address1(false),
    lookup('parentcustomerid', 'Customer', [{ table: 'account', navigation: 'parentcustomerid_account' }, { table: 'contact', navigation: 'parentcustomerid_contact' }]),
    owner(),
    ...stateAndStatus(),
    ...audit(),
  ],
});

/** account (limits.md §5). */
const account = table({
  logicalName: 'account',
  entitySetName: 'accounts',
  primaryId: 'accountid',
  primaryName: 'name',
  ownershipType: 'UserOwned',
  objectTypeCode: 1,
  columns: [
    { ...system('accountid', 'Uniqueidentifier', { isPrimaryId: true }), validForCreate: true },
    { ...text('name', 160, 'ApplicationRequired'), isPrimaryName: true },
    text('accountnumber', 20),
    text('sic', 20),
    text('tickersymbol', 10),
    { logicalName: 'numberofemployees', type: 'Integer', minValue: 0, maxValue: 1000000000, required: 'None', validForCreate: true, validForUpdate: true },
    text('telephone1', 50),
    text('telephone2', 50),
    text('telephone3', 50),
    text('fax', 50),
    text('emailaddress1', 100),
    text('emailaddress2', 100),
    text('emailaddress3', 100),
    memo('description'),
    money('revenue'),
    {
      logicalName: 'ownershipcode',
      type: 'Picklist',
      required: 'None',
      validForCreate: true,
      validForUpdate: true,
      options: { 1: 'Public', 2: 'Private', 3: 'Subsidiary', 4: 'Other' },
    },
    text('stockexchange', 20),
    // Three more account columns the create/update traces write (create-204-201.http #3-#4; account.md).
    { logicalName: 'creditonhold', type: 'Boolean', required: 'None', validForCreate: true, validForUpdate: true },
    { logicalName: 'accountcategorycode', type: 'Picklist', required: 'None', validForCreate: true, validForUpdate: true, options: { 1: 'Preferred Customer', 2: 'Standard' } },
    { logicalName: 'address1_latitude', type: 'Double', minValue: -90, maxValue: 90, precision: 5, required: 'None', validForCreate: true, validForUpdate: true },
    ...address1(true),
    lookup('parentaccountid', 'Lookup', [{ table: 'account', navigation: 'parentaccountid' }]),
    lookup('primarycontactid', 'Lookup', [{ table: 'contact', navigation: 'primarycontactid' }]),
    owner(),
    ...stateAndStatus(),
    ...audit(),
  ],
  collections: {
    contact_customer_accounts: { table: 'contact', column: 'parentcustomerid' },
    Account_Tasks: { table: 'task', column: 'regardingobjectid' },
  },
});

/**
 * task: only as far as the `$batch` traces use it (batch-*.http), so they replay against the emulator unchanged:
 * subject (MaxLength 200, per the 0x80044331 text in batch-continue-on-error.http), description, the Regarding lookup.
 */
const task = table({
  logicalName: 'task',
  entitySetName: 'tasks',
  primaryId: 'activityid',
  primaryName: 'subject',
  ownershipType: 'UserOwned',
  objectTypeCode: 4212,
  columns: [
    { ...system('activityid', 'Uniqueidentifier', { isPrimaryId: true }), validForCreate: true },
    { ...text('subject', 200, 'ApplicationRequired'), isPrimaryName: true },
    memo('description'),
    lookup('regardingobjectid', 'Lookup', [{ table: 'account', navigation: 'regardingobjectid_account_task' }, { table: 'contact', navigation: 'regardingobjectid_contact_task' }]),
    owner(),
    ...stateAndStatus(),
    ...audit(),
  ],
});

/** team (limits.md §6). Teams are business-owned; teamtype and membershiptype cannot change after create. */
const team = table({
  logicalName: 'team',
  entitySetName: 'teams',
  primaryId: 'teamid',
  primaryName: 'name',
  ownershipType: 'BusinessOwned',
  objectTypeCode: 9,
  columns: [
    { ...system('teamid', 'Uniqueidentifier', { isPrimaryId: true }), validForCreate: true },
    { ...text('name', 160, 'SystemRequired'), isPrimaryName: true },
    { ...system('teamtype', 'Picklist', { options: { 0: 'Owner', 1: 'Access', 2: 'AAD Security Group', 3: 'AAD Office Group' }, required: 'SystemRequired' }), validForCreate: true },
    { ...system('membershiptype', 'Picklist', { options: { 0: 'Members and guests', 1: 'Members', 2: 'Owners', 3: 'Guests' }, required: 'SystemRequired' }), validForCreate: true },
    lookup('businessunitid', 'Lookup', [{ table: 'businessunit', navigation: 'businessunitid' }], 'SystemRequired'),
    lookup('administratorid', 'Lookup', [{ table: 'systemuser', navigation: 'administratorid' }], 'SystemRequired'),
    { ...system('azureactivedirectoryobjectid', 'Uniqueidentifier'), validForCreate: true },
    memo('description'),
    text('emailaddress', 100),
    system('isdefault', 'Boolean'),
    ...audit(),
  ],
});

/** systemuser: the application user the app signs in as (and any other user a test adds). */
const systemuser = table({
  logicalName: 'systemuser',
  entitySetName: 'systemusers',
  primaryId: 'systemuserid',
  primaryName: 'fullname',
  ownershipType: 'BusinessOwned',
  objectTypeCode: 8,
  columns: [
    system('systemuserid', 'Uniqueidentifier', { isPrimaryId: true }),
    system('fullname', 'String', { maxLength: 200, isPrimaryName: true }),
    text('domainname', 1024),
    { ...system('applicationid', 'Uniqueidentifier'), validForCreate: true },
    { ...system('azureactivedirectoryobjectid', 'Uniqueidentifier'), validForCreate: true },
    { ...system('isdisabled', 'Boolean'), validForUpdate: true },
    lookup('businessunitid', 'Lookup', [{ table: 'businessunit', navigation: 'businessunitid' }], 'SystemRequired'),
    ...audit(),
  ],
});

const businessunit = table({
  logicalName: 'businessunit',
  entitySetName: 'businessunits',
  primaryId: 'businessunitid',
  primaryName: 'name',
  ownershipType: 'BusinessOwned',
  objectTypeCode: 10,
  columns: [system('businessunitid', 'Uniqueidentifier', { isPrimaryId: true }), { ...text('name', 160, 'SystemRequired'), isPrimaryName: true }, ...audit()],
});

export const TABLES: readonly TableDefinition[] = [contact, account, task, team, systemuser, businessunit];
export const TABLE_BY_NAME = new Map(TABLES.map((t) => [t.logicalName, t]));
export const TABLE_BY_SET = new Map(TABLES.map((t) => [t.entitySetName, t]));

/** Tables a client may write through the Web API here (teams and users are shaped through the control API). */
export const WRITABLE_TABLES = new Set(['contact', 'account', 'task']);

/** The OData primitive type of a column, for error texts and metadata. */
export function edmType(column: Column): string {
  switch (column.type) {
    case 'Uniqueidentifier':
    case 'Lookup':
    case 'Customer':
    case 'Owner':
      return 'Edm.Guid';
    case 'String':
    case 'Memo':
      return 'Edm.String';
    case 'Integer':
    case 'Picklist':
    case 'State':
    case 'Status':
      return 'Edm.Int32';
    case 'Money':
      return 'Edm.Decimal';
    case 'Double':
      return 'Edm.Double';
    case 'Boolean':
      return 'Edm.Boolean';
    case 'DateTime':
      return column.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset';
  }
}

/** The property name a lookup is read (and filtered) under: `_ownerid_value`. */
export const lookupValueName = (column: Column) => `_${column.logicalName}_value`;
export const isLookup = (column: Column) => column.type === 'Lookup' || column.type === 'Customer' || column.type === 'Owner';
