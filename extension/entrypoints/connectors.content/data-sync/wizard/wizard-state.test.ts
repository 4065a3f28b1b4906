import { describe, expect, it } from 'vitest';
import type { FieldsResponse } from '../../../../../shared/api';
import { DEFAULT_MAPPINGS } from '../../../../../shared/mapping/defaults';
import { type WizardState, hasUnsavedChanges, initialState, mappingProblems, patchOf, wizardReducer } from './wizard-state';

const accountFields: FieldsResponse = {
  table: 'account',
  source: 'Account',
  columns: [
    { name: 'accountid', label: 'Account', type: 'Uniqueidentifier', primaryKey: true, defaultField: 'Id', compatible: [] },
    { name: 'name', label: 'Account Name', type: 'String', primaryKey: false, defaultField: 'Name', compatible: [{ name: 'Name', label: 'Account Name', type: 'string', permissionable: false }] },
    { name: 'numberofemployees', label: 'Number of Employees', type: 'Integer', primaryKey: false, defaultField: 'NumberOfEmployees', compatible: [{ name: 'NumberOfEmployees', label: 'Employees', type: 'int', permissionable: true }] },
  ],
};

describe('the connector wizard', () => {
  it('does not leave the tables step without a table', () => {
    let state = wizardReducer(initialState(), { type: 'toggleTable', table: 'contact', on: false });
    state = wizardReducer(state, { type: 'toggleTable', table: 'account', on: false });
    state = wizardReducer(state, { type: 'next' });
    expect(state).toMatchObject({ step: 'tables', problem: 'Choose at least one table.' });
  });

  it('marks an incompatible field on the row as it is typed, with the Worker’s rule, and blocks Next', () => {
    let state = wizardReducer(initialState(), { type: 'toggleTable', table: 'contact', on: false });
    state = { ...wizardReducer(state, { type: 'next' }), mappings: { contact: {}, account: { accountid: 'Id', name: 'Name' } } };
    state = wizardReducer(state, { type: 'fieldsLoaded', fields: accountFields });
    state = wizardReducer(state, { type: 'type', table: 'account', column: 'numberofemployees', field: 'Name' });
    expect(mappingProblems(state, 'account').numberofemployees).toMatch(/^Name is a Salesforce string field and cannot fill numberofemployees \(Integer\)/);
    state = wizardReducer(state, { type: 'next' });
    expect(state).toMatchObject({ step: 'mapping', problem: 'Fix the row marked in red before going on.' });
  });

  it('trusts the fields the Worker listed for a column, lookups included', () => {
    const contact: FieldsResponse = {
      table: 'contact',
      source: 'Contact',
      columns: [{ name: 'parentcustomerid', label: 'Company Name', type: 'Customer', primaryKey: false, defaultField: 'AccountId', compatible: [{ name: 'AccountId', label: 'Account ID', type: 'reference', permissionable: false }] }],
    };
    let state: WizardState = { ...initialState(), mappings: { contact: { parentcustomerid: 'AccountId' }, account: {} } };
    state = wizardReducer(state, { type: 'fieldsLoaded', fields: contact });
    expect(mappingProblems(state, 'contact')).toEqual({});
  });

  it('names a field the org does not have', () => {
    let state = wizardReducer(initialState(), { type: 'fieldsLoaded', fields: accountFields });
    state = wizardReducer(state, { type: 'type', table: 'account', column: 'numberofemployees', field: 'Headcount__c' });
    expect(mappingProblems(state, 'account').numberofemployees).toBe('Account has no field Headcount__c that can fill Number of Employees (Whole number).');
  });

  it('resets a typed row to the default pick, not to an empty "Other field" box', () => {
    let state = wizardReducer(initialState(), { type: 'type', table: 'account', column: 'numberofemployees', field: 'Name' });
    expect(state.typed.account).toEqual(['numberofemployees']);
    state = wizardReducer(state, { type: 'reset', table: 'account' });
    expect(state.typed.account).toEqual([]);
    expect(state.mappings.account).toEqual(DEFAULT_MAPPINGS.account);
  });

  it('sends the connector’s name with its settings, and wants one', () => {
    let state: WizardState = { ...initialState(), step: 'schedule', team: 'Sales', name: ' ' };
    state = wizardReducer(state, { type: 'next' });
    expect(state.problem).toBe('Give the connector a name, such as Contacts and accounts.');
    state = wizardReducer(wizardReducer(state, { type: 'set', patch: { name: 'EMEA contacts ' } }), { type: 'next' });
    expect(patchOf(state)).toMatchObject({ name: 'EMEA contacts', team: 'Sales' });
  });

  it('asks for the owning team before the review', () => {
    let state: WizardState = { ...initialState(), step: 'schedule' };
    state = wizardReducer(state, { type: 'next' });
    expect(state.problem).toBe('Name the team that owns the rows Forcebridge writes.');
    state = wizardReducer(wizardReducer(state, { type: 'set', patch: { team: 'Sales' } }), { type: 'next' });
    expect(state.step).toBe('review');
  });

  it('knows when closing would lose a choice: not for moving between steps or loading fields, yes for a changed row', () => {
    let state = wizardReducer(initialState(), { type: 'next' });
    state = wizardReducer(state, { type: 'fieldsLoaded', fields: accountFields });
    expect(hasUnsavedChanges(state)).toBe(false);
    state = wizardReducer(state, { type: 'pick', table: 'account', column: 'numberofemployees', field: '' });
    expect(hasUnsavedChanges(state)).toBe(true);
    // Putting the same field back is no change.
    state = wizardReducer(state, { type: 'pick', table: 'account', column: 'numberofemployees', field: DEFAULT_MAPPINGS.account.numberofemployees! });
    expect(hasUnsavedChanges(state)).toBe(false);
  });
});
