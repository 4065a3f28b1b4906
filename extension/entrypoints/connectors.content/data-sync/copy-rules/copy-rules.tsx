/**
 * What each table copies beyond its mapping: its row filter, edited with a live match count and a preview of what
 * saving will do (rows that leave, records that arrive, API calls), and its formula fields with their refresh
 * cadence and the last refresh's result.
 */
import { useReducer } from 'preact/hooks';
import type { Connector } from '../../../../../shared/api';
import type { DestinationTable } from '../../../../../shared/mapping/destination';
import { Alert } from '../../../../components/alert';
import { Time, count } from '../../../../components/time';
import { askBackground } from '../../../../utils/messages';
import { draftFilter, filterEditor, filterEditorReducer, refreshCadence } from './filter-editor-state';

const CADENCES = [1, 6, 12, 24, 168];

export function CopyRules(props: { connector: Connector; onChanged: (connector: Connector) => void }) {
  const c = props.connector;
  const formulas = c.tables.some((t) => t.enabled && t.formulaFields.length > 0);
  const setCadence = async (hours: number) => {
    const result = await askBackground('updateConnector', { id: c.id, patch: { formulaRefreshHours: hours }, dryRun: false });
    if (result.ok) props.onChanged(result.data.connector);
  };
  return (
    <section class="fb-copy-rules" data-testid="copy-rules" aria-label={`What ${c.name} copies`}>
      {c.tables
        .filter((t) => t.enabled)
        .map((t) => (
          <div key={t.table} data-table={t.table}>
            <FilterEditor connector={c} table={t.table} saved={t.filter} onChanged={props.onChanged} />
            {t.formulaFields.length > 0 && (
              <p class="slds-text-body_small" data-testid="formula-fields">
                {t.formulaFields.join(', ')}: formula — {refreshCadence(c.formulaRefreshHours)} (about {count(t.formulaRefreshApiCallsPerDay, 'API call')} a day)
                {t.formulaRefresh ? (
                  <>
                    {' '}
                    · last refresh <Time iso={t.formulaRefresh.finishedAt} />, {count(t.formulaRefresh.rowsChanged, 'row')} changed
                  </>
                ) : (
                  ' · not refreshed yet'
                )}
              </p>
            )}
          </div>
        ))}
      {formulas && (
        <label class="slds-form-element__label">
          Refresh formula fields{' '}
          <select class="slds-select" data-testid="formula-cadence" value={c.formulaRefreshHours} onChange={(e) => void setCadence(Number((e.target as HTMLSelectElement).value))}>
            {CADENCES.map((hours) => (
              <option key={hours} value={hours}>
                {refreshCadence(hours).replace('refreshed ', '')}
              </option>
            ))}
          </select>
        </label>
      )}
    </section>
  );
}

function FilterEditor(props: { connector: Connector; table: DestinationTable; saved: string | null; onChanged: (connector: Connector) => void }) {
  const [state, dispatch] = useReducer(filterEditorReducer, props.saved, filterEditor);
  const busy = state.phase !== 'idle';
  const draft = draftFilter(state);

  const check = async () => {
    if (!draft) return;
    dispatch({ type: 'check' });
    const result = await askBackground('checkFilter', { connectionId: props.connector.connectionId, table: props.table, filter: draft });
    dispatch(result.ok ? { type: 'checked', filter: draft, matches: result.data.matches, ungranted: result.data.ungranted } : { type: 'failed', message: result.error.message });
  };
  const change = async (dryRun: boolean) => {
    dispatch({ type: dryRun ? 'preview' : 'save' });
    const result = await askBackground('updateConnector', { id: props.connector.id, patch: { tables: [{ table: props.table, filter: draft }] }, dryRun });
    if (!result.ok) return dispatch({ type: 'failed', message: result.error.message });
    if (dryRun) return dispatch({ type: 'previewed', filter: draft ?? '', effects: result.data.effects });
    dispatch({ type: 'saved', filter: draft });
    props.onChanged(result.data.connector);
  };

  return (
    <div class="fb-filter" data-testid="filter-editor">
      <label class="slds-form-element__label" for={`fb-filter-${props.connector.id}-${props.table}`}>
        Copy only {props.table} records where (SOQL condition; empty copies all)
      </label>
      <input
        id={`fb-filter-${props.connector.id}-${props.table}`}
        class="slds-input"
        data-testid="filter-input"
        value={state.draft}
        placeholder="Email != null AND MailingCountry = 'France'"
        onInput={(e) => dispatch({ type: 'edit', draft: (e.target as HTMLInputElement).value })}
      />
      <button class="slds-button slds-button_neutral" type="button" disabled={busy || !draft} onClick={() => void check()} data-testid="filter-check">
        Count matches
      </button>
      <button class="slds-button slds-button_neutral" type="button" disabled={busy || draft === props.saved} onClick={() => void change(true)} data-testid="filter-preview">
        Preview change
      </button>
      {state.checked && state.checked.filter === draft && (
        <span data-testid="filter-matches">
          {state.checked.matches === null
            ? `Not counted: the integration user may not read ${state.checked.ungranted.join(', ')} yet. Save the filter, then Update permissions to grant Read on it.`
            : `${count(state.checked.matches, 'record')} match now`}
        </span>
      )}
      {state.problem && <Alert tone="error" message={state.problem} testId="filter-problem" />}
      {state.preview && state.preview.filter === (draft ?? '') && (
        <div data-testid="filter-effects">
          <ul>
            {state.preview.effects.map((effect) => (
              <li key={effect}>{effect}</li>
            ))}
          </ul>
          <button class="slds-button slds-button_brand" type="button" disabled={busy} onClick={() => void change(false)} data-testid="filter-save">
            Save filter
          </button>
        </div>
      )}
    </div>
  );
}
