/**
 * The column mapping of the chosen tables: per destination column, a choice among the Salesforce fields whose type
 * can fill it, in a searchable combobox showing label, API name and type, "Other field…" for an API name, each row checked as it is chosen, a
 * filter for long tables, and Reset to the predefined mapping.
 */
import { useState } from 'preact/hooks';
import type { FieldsResponse } from '../../../../../shared/api';
import { type AttributeType, type DestinationTable } from '../../../../../shared/mapping/destination';
import { Combobox } from '../../../../components/combobox';
import { LearnMore } from '../../../../components/learn-more';
import { TYPE_NAMES, type WizardAction, type WizardState, mappingProblems } from './wizard-state';

const OTHER = '__other__';

export function MappingStep({ state, dispatch }: { state: WizardState; dispatch: (action: WizardAction) => void }) {
  const [filter, setFilter] = useState('');
  return (
    <div>
      <div class="slds-form-element fb-field">
        <label for="fb-map-filter">Find a column or field</label>
        <input id="fb-map-filter" class="slds-input" type="search" value={filter} onInput={(event) => setFilter((event.currentTarget as HTMLInputElement).value)} placeholder="e.g. phone" />
      </div>
      <p class="slds-text-color_weak">
        <LearnMore topic="column-mapping" about="column mapping" />
      </p>
      {state.tables.map((table) => {
        const fields = state.fields[table];
        return fields ? <TableMapping key={table} table={table} fields={fields} state={state} dispatch={dispatch} filter={filter.trim().toLowerCase()} /> : <p class="fb-spinner" role="status" key={table}>Reading the org’s {table} fields…</p>;
      })}
    </div>
  );
}

function TableMapping(props: { table: DestinationTable; fields: FieldsResponse; state: WizardState; dispatch: (action: WizardAction) => void; filter: string }) {
  const { table, fields, state, dispatch } = props;
  const mapping = state.mappings[table];
  const problems = mappingProblems(state, table);
  const rows = fields.columns.filter((column) => {
    if (!props.filter) return true;
    const chosen = fields.columns.find((c) => c.name === column.name)?.compatible.find((f) => f.name === mapping[column.name]);
    return [column.label, column.name, mapping[column.name] ?? '', chosen?.label ?? ''].some((text) => text.toLowerCase().includes(props.filter));
  });
  return (
    <div class="fb-mapping" data-testid={`mapping-${table}`}>
      <div class="fb-mapping__header">
        <h3>
          Salesforce {fields.source} → {table}
        </h3>
        <button class="slds-button" type="button" onClick={() => dispatch({ type: 'reset', table })} data-testid={`reset-${table}`}>
          Reset to defaults
        </button>
      </div>
      <table class="slds-table slds-table_cell-buffer slds-table_bordered">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Salesforce field</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((column) => {
            const chosen = mapping[column.name] ?? '';
            const listed = !chosen || column.compatible.some((f) => f.name === chosen);
            const typed = state.typed[table].includes(column.name) || !listed;
            const problem = problems[column.name];
            const id = `map-${table}-${column.name}`;
            return (
              <tr key={column.name} data-column={column.name} class={problem ? 'fb-row--error' : ''}>
                <th scope="row">
                  <label for={id}>{column.label}</label>
                  <span class="slds-text-color_weak fb-mono fb-block">
                    {column.name} · {TYPE_NAMES[column.type as AttributeType] ?? column.type}
                  </span>
                </th>
                <td>
                  {column.primaryKey ? (
                    <span class="slds-text-color_weak">Id (the record’s key)</span>
                  ) : (
                    <>
                      <Combobox
                        id={id}
                        testId={`pick-${column.name}`}
                        options={[
                          { value: '', label: '— not synced —' },
                          ...column.compatible.map((f) => ({ value: f.name, label: `${f.label}${f.name === column.defaultField ? ' (default)' : ''}`, meta: `${f.name} · ${f.type}` })),
                          { value: OTHER, label: 'Other field (type its API name)…' },
                        ]}
                        value={typed ? OTHER : chosen}
                        placeholder="Search fields"
                        invalid={!!problem}
                        describedBy={problem ? `${id}-problem` : undefined}
                        onChange={(value) => {
                          if (value === OTHER) dispatch({ type: 'type', table, column: column.name, field: listed ? '' : chosen });
                          else dispatch({ type: 'pick', table, column: column.name, field: value });
                        }}
                      />
                      {typed && (
                        <input
                          class="slds-input"
                          aria-label={`Salesforce API name for ${column.label}`}
                          aria-invalid={!!problem}
                          aria-describedby={problem ? `${id}-problem` : undefined}
                          placeholder="e.g. Region__c"
                          value={listed ? '' : chosen}
                          onInput={(event) => dispatch({ type: 'type', table, column: column.name, field: (event.currentTarget as HTMLInputElement).value.trim() })}
                        />
                      )}
                      {problem && (
                        <p class="slds-form-element__help fb-field-error" id={`${id}-problem`} data-testid="mapping-problem">
                          {problem}
                        </p>
                      )}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
