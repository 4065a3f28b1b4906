/**
 * The destination tables, shaped like Dataverse `contact` and `account`: logical names and attribute types as
 * Dataverse has them, so a team moving from Dynamics 365 finds the columns it knows.
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/contact
 */

/** Dataverse attribute types a destination column can have (Virtual and EntityName are not supported). */
export type AttributeType =
  | 'Boolean'
  | 'Integer'
  | 'BigInt'
  | 'Decimal'
  | 'Double'
  | 'String'
  | 'Memo'
  | 'DateTime'
  | 'Uniqueidentifier'
  | 'Lookup'
  | 'Owner'
  | 'Customer';

export type SourceObject = 'Contact' | 'Account';

/** Salesforce object → the fields the connectors read from it (what the permission set must grant). */
export type RequiredAccess = Partial<Record<SourceObject, readonly string[]>>;
export type DestinationTable = 'contact' | 'account';

export interface DestinationColumn {
  name: string;
  label: string;
  type: AttributeType;
  /** For Lookup/Customer columns: the destination table whose GUID the column holds. */
  target?: DestinationTable;
  /** The table's primary key: always mapped from `Id`. */
  primaryKey?: boolean;
  /** Written by Forcebridge itself (never mapped). */
  system?: boolean;
  /** String length limit, as in Dataverse. */
  maxLength?: number;
}

export interface TableDefinition {
  table: DestinationTable;
  source: SourceObject;
  label: string;
  columns: readonly DestinationColumn[];
}

const column = (name: string, label: string, type: AttributeType, extra: Partial<DestinationColumn> = {}): DestinationColumn => ({
  name,
  label,
  type,
  ...extra,
});

/** Dataverse's first address, the same on contact and account. */
const ADDRESS1_COLUMNS: DestinationColumn[] = [
  column('address1_line1', 'Address 1: Street 1', 'String', { maxLength: 250 }),
  column('address1_city', 'Address 1: City', 'String', { maxLength: 80 }),
  column('address1_stateorprovince', 'Address 1: State/Province', 'String', { maxLength: 50 }),
  column('address1_postalcode', 'Address 1: ZIP/Postal Code', 'String', { maxLength: 20 }),
  column('address1_country', 'Address 1: Country/Region', 'String', { maxLength: 80 }),
  column('address1_latitude', 'Address 1: Latitude', 'Double'),
  column('address1_longitude', 'Address 1: Longitude', 'Double'),
];

export const CONTACT_TABLE: TableDefinition = {
  table: 'contact',
  source: 'Contact',
  label: 'Contact',
  columns: [
    column('contactid', 'Contact', 'Uniqueidentifier', { primaryKey: true }),
    column('parentcustomerid', 'Company Name', 'Customer', { target: 'account' }),
    column('ownerid', 'Owner', 'Owner', { system: true }),
    column('salutation', 'Salutation', 'String', { maxLength: 100 }),
    column('firstname', 'First Name', 'String', { maxLength: 50 }),
    column('lastname', 'Last Name', 'String', { maxLength: 50 }),
    column('nickname', 'Nickname', 'String', { maxLength: 100 }),
    column('jobtitle', 'Job Title', 'String', { maxLength: 100 }),
    column('department', 'Department', 'String', { maxLength: 100 }),
    column('emailaddress1', 'Email', 'String', { maxLength: 100 }),
    column('emailaddress2', 'Email Address 2', 'String', { maxLength: 100 }),
    column('telephone1', 'Business Phone', 'String', { maxLength: 50 }),
    column('telephone2', 'Home Phone', 'String', { maxLength: 50 }),
    column('mobilephone', 'Mobile Phone', 'String', { maxLength: 50 }),
    column('fax', 'Fax', 'String', { maxLength: 50 }),
    column('assistantname', 'Assistant', 'String', { maxLength: 100 }),
    column('assistantphone', 'Assistant Phone', 'String', { maxLength: 50 }),
    column('birthdate', 'Birthday', 'DateTime'),
    column('description', 'Description', 'Memo', { maxLength: 2000 }),
    ...ADDRESS1_COLUMNS,
    column('donotphone', 'Do not allow Phone Calls', 'Boolean'),
    column('donotbulkemail', 'Do not allow Bulk Emails', 'Boolean'),
    column('numberofchildren', 'No. of Children', 'Integer'),
    column('lastusedincampaign', 'Last Date Included in Campaign', 'DateTime'),
  ],
};

export const ACCOUNT_TABLE: TableDefinition = {
  table: 'account',
  source: 'Account',
  label: 'Account',
  columns: [
    column('accountid', 'Account', 'Uniqueidentifier', { primaryKey: true }),
    column('parentaccountid', 'Parent Account', 'Lookup', { target: 'account' }),
    column('ownerid', 'Owner', 'Owner', { system: true }),
    column('name', 'Account Name', 'String', { maxLength: 160 }),
    column('accountnumber', 'Account Number', 'String', { maxLength: 20 }),
    column('description', 'Description', 'Memo', { maxLength: 2000 }),
    column('telephone1', 'Main Phone', 'String', { maxLength: 50 }),
    column('fax', 'Fax', 'String', { maxLength: 50 }),
    column('websiteurl', 'Website', 'String', { maxLength: 200 }),
    column('sic', 'SIC Code', 'String', { maxLength: 20 }),
    column('tickersymbol', 'Ticker Symbol', 'String', { maxLength: 10 }),
    column('numberofemployees', 'Number of Employees', 'Integer'),
    column('revenue', 'Annual Revenue', 'Decimal'),
    ...ADDRESS1_COLUMNS,
    column('lastusedincampaign', 'Last Date Included in Campaign', 'DateTime'),
  ],
};

export const TABLES: Record<DestinationTable, TableDefinition> = { contact: CONTACT_TABLE, account: ACCOUNT_TABLE };

/** The table's primary key column (its GUID). */
export const primaryKeyOf = (table: DestinationTable) => TABLES[table].columns.find((c) => c.primaryKey)!.name;

export function destinationColumn(table: DestinationTable, name: string): DestinationColumn | undefined {
  return TABLES[table].columns.find((c) => c.name === name);
}
