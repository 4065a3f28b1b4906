import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessForMappings } from '../../connectors/required-access';
import { DEFAULT_MAPPINGS } from '../../../../shared/mapping/defaults';
import { permissionChanges, permissionSetFor } from './permission-set-plan';

const describeOf = (object: string) =>
  JSON.parse(readFileSync(new URL(`../../../../tests/salesforce-emulator/recordings/${object}_describe.cumulusci.json`, import.meta.url), 'utf8')).fields;

describe('permissionSetFor a field spelled in another case (a row filter)', () => {
  it('grants it under the describe\'s own name, once, and leaves out a field that takes no permission', () => {
    const plan = permissionSetFor({ Contact: ['department', 'Department', 'lastname'] }, describeOf);
    expect(plan.fields).toEqual(['Contact.Department']);
  });
});

describe('permissionSetFor the predefined mappings', () => {
  const plan = permissionSetFor(
    accessForMappings([
      { table: 'contact', mapping: DEFAULT_MAPPINGS.contact },
      { table: 'account', mapping: DEFAULT_MAPPINGS.account },
    ]),
    describeOf,
  );

  it('grants Read and View All Records on exactly the synced objects', () => {
    expect(plan.objects).toEqual([
      { sobject: 'Account', read: true, viewAllRecords: true },
      { sobject: 'Contact', read: true, viewAllRecords: true },
    ]);
  });

  it('grants field Read only on mapped, permissionable fields', () => {
    expect(plan.fields).toEqual([
      'Account.AccountNumber',
      'Account.Description',
      'Account.Fax',
      'Account.NumberOfEmployees',
      'Account.Phone',
      'Account.Sic',
      'Account.TickerSymbol',
      'Contact.AccountId',
      'Contact.AssistantName',
      'Contact.AssistantPhone',
      'Contact.Birthdate',
      'Contact.Department',
      'Contact.Description',
      'Contact.Email',
      'Contact.Fax',
      'Contact.MobilePhone',
      'Contact.Phone',
    ]);
    // Id, Name, FirstName, LastName and Salutation come with object access and take no field permission.
    expect(plan.fields).not.toContain('Contact.LastName');
    expect(plan.fields).not.toContain('Account.Name');
  });
});

describe('permissionChanges', () => {
  it('grants what is missing and revokes what is left over', () => {
    const plan = { objects: [{ sobject: 'Contact' as const, read: true as const, viewAllRecords: true as const }], fields: ['Contact.Email', 'Contact.Phone'] };
    expect(permissionChanges(plan, { objects: ['Contact', 'Account'], fields: ['Contact.Email', 'Contact.Title'] })).toEqual({
      objectsToGrant: [],
      objectsToRevoke: ['Account'],
      fieldsToGrant: ['Contact.Phone'],
      fieldsToRevoke: ['Contact.Title'],
    });
  });
});
