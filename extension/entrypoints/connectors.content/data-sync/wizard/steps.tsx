/** The wizard's small steps: tables, schedule and owner, review, and the created connector. */
import type { ConnectorPreview, Estimate } from '../../../../../shared/api';
import type { DataverseConnection } from '../../../../../shared/dataverse';
import { TABLES } from '../../../../../shared/mapping/destination';
import { LearnMore } from '../../../../components/learn-more';
import { count, every } from '../../../../components/time';
import { destinationLabel } from '../../dataverse/connection-status';
import { DestinationFields } from './destination-fields';
import { destinationInput } from './destination-state';
import { ALL_TABLES, type WizardAction, type WizardState } from './wizard-state';

type StepProps = { state: WizardState; dispatch: (action: WizardAction) => void };

export function TablesStep({ state, dispatch }: StepProps) {
  return (
    <fieldset class="slds-form-element fb-fieldset">
      <legend>Which Salesforce records to copy</legend>
      {ALL_TABLES.map((table) => (
        <label key={table} class="slds-checkbox fb-check">
          <input type="checkbox" checked={state.tables.includes(table)} onChange={(event) => dispatch({ type: 'toggleTable', table, on: (event.currentTarget as HTMLInputElement).checked })} />{' '}
          {TABLES[table].source}s → {table}
        </label>
      ))}
      <p class="slds-text-color_weak">Recommended: both, so each contact’s company links to its account row.</p>
    </fieldset>
  );
}

const INTERVALS = [5, 15, 30, 60, 240, 1440];
const RESERVES = [0, 0.1, 0.2, 0.3, 0.5];

export function ScheduleStep({ state, dispatch, dataverse }: StepProps & { dataverse: DataverseConnection[] }) {
  return (
    <div>
      <DestinationFields state={state} dispatch={dispatch} dataverse={dataverse} />
      <div class="slds-form-element fb-field">
        <label for="fb-name">Connector name</label>
        <input id="fb-name" class="slds-input" value={state.name} maxLength={100} onInput={(event) => dispatch({ type: 'set', patch: { name: (event.currentTarget as HTMLInputElement).value } })} aria-invalid={!!state.problem && !state.name.trim()} />
      </div>
      <div class="slds-form-element fb-field">
        <label for="fb-interval">Sync</label>
        <select id="fb-interval" class="slds-select" value={state.interval} onChange={(event) => dispatch({ type: 'set', patch: { interval: Number((event.currentTarget as HTMLSelectElement).value) } })}>
          {INTERVALS.map((m) => (
            <option key={m} value={m}>
              {every(m)}
            </option>
          ))}
        </select>
      </div>
      <div class="slds-form-element fb-field">
        <label for="fb-reserve">Keep in reserve</label>
        <select id="fb-reserve" class="slds-select" value={state.reserve} aria-describedby="fb-reserve-help" onChange={(event) => dispatch({ type: 'set', patch: { reserve: Number((event.currentTarget as HTMLSelectElement).value) } })}>
          {[...new Set([...RESERVES, state.reserve])].sort().map((r) => (
            <option key={r} value={r}>
              {Math.round(r * 100)}% of the org’s daily API requests
            </option>
          ))}
        </select>
        <span class="slds-text-color_weak" id="fb-reserve-help">The sync pauses when the org has less than this left today, so other integrations keep working.</span>
      </div>
      <fieldset class="slds-form-element fb-fieldset">
        <legend>Records deleted in Salesforce</legend>
        <label class="slds-checkbox fb-check">
          <input type="radio" name="fb-delete" checked={state.deleteMode === 'hard'} onChange={() => dispatch({ type: 'set', patch: { deleteMode: 'hard' } })} /> are deleted here too
        </label>
        <label class="slds-checkbox fb-check">
          <input type="radio" name="fb-delete" checked={state.deleteMode === 'soft'} onChange={() => dispatch({ type: 'set', patch: { deleteMode: 'soft' } })} /> stay here, marked deleted
        </label>
      </fieldset>
    </div>
  );
}

export function ReviewStep(props: { state: WizardState; dataverse: DataverseConnection[]; estimate: Estimate | null; review: ConnectorPreview | null; editing: boolean; busy: boolean; onUpdatePermissions: () => void }) {
  const { state, estimate } = props;
  return (
    <div data-testid="wizard-review">
      <dl class="fb-facts">
        <dt>Name</dt>
        <dd>{state.name}</dd>
        <dt>Tables</dt>
        <dd>{state.tables.map((t) => `${TABLES[t].source} → ${t} (${count(Object.keys(state.mappings[t]).length, 'column')})`).join(', ')}</dd>
        <dt>Destination</dt>
        <dd data-testid="review-destination">{destinationLabel(destinationInput(state.destination), state.team, props.dataverse)}</dd>
        <dt>Schedule</dt>
        <dd>
          {every(state.interval)}, keeping {Math.round(state.reserve * 100)}% of the daily API requests in reserve
        </dd>
        <dt>First sync</dt>
        <dd data-testid="estimate">
          {estimate
            ? `${estimate.tables.map((t) => `${t.records.toLocaleString('en-US')} ${t.table}`).join(', ')} · about ${count(estimate.firstSyncApiCalls, 'API call')}` +
              (estimate.usage ? ` of the ${(estimate.usage.max - estimate.usage.used).toLocaleString('en-US')} the org has left today` : '')
            : 'Estimating…'}
        </dd>
        <dt>Permissions</dt>
        {/* The Worker's dry run of this very connector (or edit) says what its permission set covers. */}
        <dd data-testid="permission-coverage">
          {!props.review ? (
            'Checking…'
          ) : props.review.permissions.covered ? (
            'The connection can read every mapped field.'
          ) : (
            <>
              The connection cannot read {props.review.permissions.missing.join(', ')} yet.{' '}
              <button class="slds-button slds-button_neutral" type="button" onClick={props.onUpdatePermissions} disabled={props.busy}>
                Update permissions
              </button>{' '}
              <LearnMore topic="permissions" about="permissions" />
            </>
          )}
        </dd>
      </dl>
      {props.review && (
        <ul class="fb-effects" data-testid="change-effects" aria-label={props.editing ? 'What saving changes' : 'What creating does'}>
          {props.review.effects.length === 0 ? <li>No change.</li> : props.review.effects.map((e) => <li key={e}>{e}</li>)}
        </ul>
      )}
    </div>
  );
}
