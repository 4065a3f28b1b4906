/**
 * The connector wizard's state and every change to it, as a pure reducer: choose tables → map columns (each row
 * checked as it is chosen, with the same type rules the Worker applies) → schedule and ownership → review →
 * created. The step components only render this state and dispatch actions.
 */
import type { Connector, FieldsResponse } from '../../../../../shared/api';
import { DEFAULT_MAPPINGS } from '../../../../../shared/mapping/defaults';
import { type AttributeType, type DestinationTable, TABLES, destinationColumn } from '../../../../../shared/mapping/destination';
import { incompatibility } from '../../../../../shared/mapping/type-rules';
import { DESTINATION_ACTIONS, type DestinationAction, type DestinationState, destinationBlocker, destinationInput, destinationReducer, initialDestination } from './destination-state';

export type Step = 'tables' | 'mapping' | 'schedule' | 'review' | 'created';
export const STEPS: Step[] = ['tables', 'mapping', 'schedule', 'review'];
export const STEP_LABELS: Record<Step, string> = { tables: 'Tables', mapping: 'Column mapping', schedule: 'Destination and schedule', review: 'Review', created: 'Created' };
export const ALL_TABLES: DestinationTable[] = ['contact', 'account'];

/** Dataverse column types in the words a Salesforce admin uses. */
export const TYPE_NAMES: Record<AttributeType, string> = {
  Boolean: 'Yes/No',
  Integer: 'Whole number',
  BigInt: 'Whole number',
  Decimal: 'Decimal number',
  Double: 'Decimal number',
  String: 'Text',
  Memo: 'Long text',
  DateTime: 'Date and time',
  Uniqueidentifier: 'Unique id',
  Lookup: 'Lookup',
  Owner: 'Owner',
  Customer: 'Customer lookup',
};

export interface WizardState {
  step: Step;
  editingId: string | null;
  tables: DestinationTable[];
  mappings: Record<DestinationTable, Record<string, string>>;
  /** columns whose field is typed by API name rather than picked */
  typed: Record<DestinationTable, string[]>;
  fields: Partial<Record<DestinationTable, FieldsResponse>>;
  /** what admins call it, shown on its card and in the popup */
  name: string;
  /** D1, or a Dataverse environment and the team that owns the rows there */
  destination: DestinationState;
  /** the owning team's name (typed for D1; the picked Dataverse team's name) */
  team: string;
  interval: number;
  deleteMode: 'hard' | 'soft';
  /** share of the org's daily API requests kept in reserve (0–0.9) */
  reserve: number;
  /** why Next did nothing */
  problem: string | null;
  created: Connector | null;
}

export type WizardAction =
  | { type: 'toggleTable'; table: DestinationTable; on: boolean }
  | { type: 'fieldsLoaded'; fields: FieldsResponse }
  | { type: 'pick'; table: DestinationTable; column: string; field: string }
  | { type: 'type'; table: DestinationTable; column: string; field: string }
  | { type: 'reset'; table: DestinationTable }
  | { type: 'set'; patch: Partial<Pick<WizardState, 'name' | 'team' | 'interval' | 'deleteMode' | 'reserve'>> }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'created'; connector: Connector }
  | DestinationAction;

export function initialState(editing?: Connector): WizardState {
  const mapping = (table: DestinationTable) => editing?.tables.find((t) => t.table === table)?.mapping ?? { ...DEFAULT_MAPPINGS[table] };
  return {
    step: 'tables',
    editingId: editing?.id ?? null,
    tables: editing ? editing.tables.filter((t) => t.enabled).map((t) => t.table) : [...ALL_TABLES],
    mappings: { contact: mapping('contact'), account: mapping('account') },
    typed: { contact: [], account: [] },
    fields: {},
    name: editing?.name ?? 'Contacts and accounts',
    destination: initialDestination(editing),
    team: editing?.team ?? '',
    interval: editing?.intervalMinutes ?? 15,
    deleteMode: editing?.deleteMode ?? 'hard',
    reserve: editing?.budgetThreshold ?? 0.2,
    problem: null,
    created: null,
  };
}

/** Each mapped row's problem, by column, checked against the org's fields as the Worker will check it on save. */
export function mappingProblems(state: WizardState, table: DestinationTable): Record<string, string> {
  const fields = state.fields[table];
  if (!fields) return {};
  const known = new Map(fields.columns.flatMap((c) => c.compatible).map((f) => [f.name, f]));
  const problems: Record<string, string> = {};
  for (const [columnName, fieldName] of Object.entries(state.mappings[table])) {
    const column = destinationColumn(table, columnName);
    if (!column || column.primaryKey) continue;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(fieldName)) {
      problems[columnName] = `“${fieldName}” is not a Salesforce API name (letters, digits and _, such as Region__c).`;
      continue;
    }
    // The Worker listed the fields that fit this column (lookups included, by what they reference): those are fine.
    if (fields.columns.find((c) => c.name === columnName)?.compatible.some((f) => f.name === fieldName)) continue;
    const field = known.get(fieldName);
    if (!field) {
      problems[columnName] = `${TABLES[table].source} has no field ${fieldName} that can fill ${column.label} (${TYPE_NAMES[column.type]}).`;
      continue;
    }
    const why = incompatibility(column, field);
    if (why) problems[columnName] = why;
  }
  return problems;
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  if (DESTINATION_ACTIONS.has(action.type)) {
    const next = destinationReducer(state.destination, action as DestinationAction);
    return { ...state, destination: next.state, team: next.teamName ?? state.team, problem: null };
  }
  switch (action.type) {
    case 'toggleTable': {
      const tables = action.on ? ALL_TABLES.filter((t) => t === action.table || state.tables.includes(t)) : state.tables.filter((t) => t !== action.table);
      return { ...state, tables, problem: null };
    }
    case 'fieldsLoaded':
      return { ...state, fields: { ...state.fields, [action.fields.table]: action.fields } };
    case 'pick':
    case 'type': {
      const mapping = { ...state.mappings[action.table] };
      if (action.field) mapping[action.column] = action.field;
      else delete mapping[action.column];
      const others = state.typed[action.table].filter((c) => c !== action.column);
      const typed = action.type === 'type' ? [...others, action.column] : others;
      return { ...state, mappings: { ...state.mappings, [action.table]: mapping }, typed: { ...state.typed, [action.table]: typed }, problem: null };
    }
    case 'reset':
      // Back to the predefined pairs, and no row left in "Other field…" mode showing a stale typed name.
      return { ...state, mappings: { ...state.mappings, [action.table]: { ...DEFAULT_MAPPINGS[action.table] } }, typed: { ...state.typed, [action.table]: [] }, problem: null };
    case 'set':
      return { ...state, ...action.patch, problem: null };
    case 'next': {
      const problem = blocker(state);
      if (problem) return { ...state, problem };
      return { ...state, step: STEPS[STEPS.indexOf(state.step) + 1] ?? state.step, problem: null };
    }
    case 'back':
      return { ...state, step: STEPS[Math.max(0, STEPS.indexOf(state.step) - 1)]!, problem: null };
    case 'created':
      return { ...state, step: 'created', created: action.connector, problem: null };
    default:
      return state;
  }
}

function blocker(state: WizardState): string | null {
  if (state.step === 'tables' && state.tables.length === 0) return 'Choose at least one table.';
  if (state.step === 'mapping') {
    if (state.tables.some((t) => !state.fields[t])) return 'Wait for the org’s fields to load.';
    const count = state.tables.reduce((sum, t) => sum + Object.keys(mappingProblems(state, t)).length, 0);
    if (count > 0) return `Fix the ${count === 1 ? 'row' : `${count} rows`} marked in red before going on.`;
  }
  if (state.step === 'schedule' && !state.name.trim()) return 'Give the connector a name, such as Contacts and accounts.';
  if (state.step === 'schedule' && state.destination.kind === 'dataverse') return destinationBlocker(state.destination);
  if (state.step === 'schedule' && !state.team.trim()) return 'Name the team that owns the rows Forcebridge writes.';
  return null;
}

/** Whether closing now would lose what the admin chose: anything Create or Save would send differs from the start. */
export function hasUnsavedChanges(state: WizardState, editing?: Connector): boolean {
  // Mappings compared as sets of pairs: a row cleared and chosen again is no change.
  const canonical = (s: WizardState) => JSON.stringify({ ...patchOf(s), tables: s.tables.map((table) => [table, Object.entries(s.mappings[table]).sort()]) });
  return canonical(state) !== canonical(initialState(editing));
}

/** What Create or Save sends. */
export const patchOf = (state: WizardState) => ({
  name: state.name.trim(),
  tables: state.tables.map((table) => ({ table, mapping: state.mappings[table] })),
  team: state.team.trim(),
  intervalMinutes: state.interval,
  deleteMode: state.deleteMode,
  budgetThreshold: state.reserve,
  destination: destinationInput(state.destination),
});
