import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPINGS } from './defaults';
import { type DestinationTable, TABLES, destinationColumn } from './destination';
import { type SourceField, compatibleFields, incompatibility } from './type-rules';

// The real describes Salesforce returned for a Developer Edition org.
const describeOf = (object: 'Contact' | 'Account'): SourceField[] =>
  JSON.parse(readFileSync(new URL(`../../tests/salesforce-emulator/recordings/${object}_describe.cumulusci.json`, import.meta.url), 'utf8')).fields;

const fields = { contact: describeOf('Contact'), account: describeOf('Account') };
const field = (table: DestinationTable, name: string) => fields[table].find((f) => f.name === name)!;
const column = (table: DestinationTable, name: string) => destinationColumn(table, name)!;

describe('the predefined mappings', () => {
  it.each(Object.keys(DEFAULT_MAPPINGS) as DestinationTable[])('are all type-compatible with the real %s describe', (table) => {
    for (const [columnName, fieldName] of Object.entries(DEFAULT_MAPPINGS[table])) {
      expect(incompatibility(column(table, columnName), field(table, fieldName)), `${columnName} ← ${fieldName}`).toBeUndefined();
    }
  });

  it('only name columns the destination tables have', () => {
    for (const table of Object.keys(TABLES) as DestinationTable[]) {
      for (const columnName of Object.keys(DEFAULT_MAPPINGS[table])) expect(destinationColumn(table, columnName)).toBeDefined();
    }
  });
});

describe('incompatibility', () => {
  it('refuses a text field for a number column, naming both and the rule', () => {
    expect(incompatibility(column('account', 'numberofemployees'), field('account', 'Name'))).toBe(
      'Name is a Salesforce string field and cannot fill numberofemployees (Integer); a Integer column takes int fields.',
    );
  });

  it('refuses ids and references for text columns', () => {
    expect(incompatibility(column('contact', 'firstname'), field('contact', 'AccountId'))).toMatch(/reference field/);
    expect(incompatibility(column('contact', 'firstname'), field('contact', 'Id'))).toMatch(/id field/);
  });

  it('accepts dates and datetimes for text and DateTime columns', () => {
    expect(incompatibility(column('contact', 'description'), field('contact', 'Birthdate'))).toBeUndefined();
    expect(incompatibility(column('contact', 'lastusedincampaign'), field('contact', 'CreatedDate'))).toBeUndefined();
    expect(incompatibility(column('contact', 'birthdate'), field('contact', 'Email'))).toMatch(/DateTime/);
  });

  it('accepts int for decimals but not double for integers', () => {
    expect(incompatibility(column('account', 'revenue'), field('account', 'NumberOfEmployees'))).toBeUndefined();
    expect(incompatibility(column('account', 'numberofemployees'), field('account', 'AnnualRevenue'))).toMatch(/currency/);
  });

  it('requires lookups to refer to the right object', () => {
    expect(incompatibility(column('contact', 'parentcustomerid'), field('contact', 'OwnerId'))).toMatch(/refers to User/);
    expect(incompatibility(column('contact', 'parentcustomerid'), field('contact', 'Id'))).toMatch(/own Id/);
    expect(incompatibility(column('account', 'parentaccountid'), field('account', 'ParentId'))).toBeUndefined();
  });

  it('keeps the key on Id and the owner to Forcebridge', () => {
    expect(incompatibility(column('contact', 'contactid'), field('contact', 'AccountId'))).toMatch(/record Id/);
    expect(incompatibility(column('contact', 'ownerid'), field('contact', 'OwnerId'))).toMatch(/owning team/);
  });

  it('never offers compound address fields', () => {
    expect(compatibleFields(column('contact', 'address1_line1'), fields.contact).map((f) => f.name)).not.toContain('MailingAddress');
    expect(compatibleFields(column('contact', 'address1_line1'), fields.contact).map((f) => f.name)).toContain('MailingStreet');
  });
});
