/**
 * The column mapping of one table: each destination column with a choice among the Salesforce fields whose type
 * can fill it (the Worker says which), the predefined choice marked, "Other field" for an API name not listed
 * (the Worker checks it), and Reset to the predefined mapping.
 */
import { useState } from 'preact/hooks';
import type { FieldsResponse } from '../../../../shared/api';
import { DEFAULT_MAPPINGS } from '../../../../shared/mapping/defaults';
import type { DestinationTable } from '../../../../shared/mapping/destination';

const OTHER = '__other__';

export function MappingEditor(props: { table: DestinationTable; fields: FieldsResponse; mapping: Record<string, string>; onChange: (mapping: Record<string, string>) => void }) {
  const [others, setOthers] = useState<Record<string, boolean>>({});
  const set = (column: string, field: string) => {
    const next = { ...props.mapping };
    if (field) next[column] = field;
    else delete next[column];
    props.onChange(next);
  };
  return (
    <div class="fb-mapping" data-testid={`mapping-${props.table}`}>
      <div class="fb-mapping__header">
        <h5>
          {props.fields.source} → {props.table}
        </h5>
        <button class="fb-link" type="button" onClick={() => props.onChange({ ...DEFAULT_MAPPINGS[props.table] })} data-testid={`reset-${props.table}`}>
          Reset to defaults
        </button>
      </div>
      <table class="fb-table">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Salesforce field</th>
          </tr>
        </thead>
        <tbody>
          {props.fields.columns.map((column) => {
            const chosen = props.mapping[column.name] ?? '';
            const listed = !chosen || column.compatible.some((f) => f.name === chosen);
            const other = others[column.name] || !listed;
            const isDefault = chosen !== '' && column.defaultField === chosen;
            return (
              <tr key={column.name} data-column={column.name}>
                <th scope="row">
                  <label for={`map-${props.table}-${column.name}`}>{column.label}</label>
                  <span class="fb-muted fb-mono"> {column.name} · {column.type}</span>
                </th>
                <td>
                  {column.primaryKey ? (
                    <span class="fb-muted">Id (the record's key)</span>
                  ) : (
                    <>
                      <select
                        id={`map-${props.table}-${column.name}`}
                        class="fb-input"
                        value={other ? OTHER : chosen}
                        onChange={(event) => {
                          const value = (event.currentTarget as HTMLSelectElement).value;
                          setOthers({ ...others, [column.name]: value === OTHER });
                          if (value !== OTHER) set(column.name, value);
                        }}
                      >
                        <option value="">— not synced —</option>
                        {column.compatible.map((f) => (
                          <option key={f.name} value={f.name}>
                            {f.label} ({f.name}){f.name === column.defaultField ? ' — default' : ''}
                          </option>
                        ))}
                        <option value={OTHER}>Other field (type its API name)…</option>
                      </select>
                      {other && (
                        <input
                          class="fb-input"
                          aria-label={`Salesforce API name for ${column.label}`}
                          placeholder="e.g. Region__c"
                          value={listed ? '' : chosen}
                          onInput={(event) => set(column.name, (event.currentTarget as HTMLInputElement).value.trim())}
                        />
                      )}
                      {isDefault && <span class="fb-badge fb-badge--neutral">default</span>}
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
