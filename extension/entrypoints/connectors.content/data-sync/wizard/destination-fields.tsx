/**
 * The wizard's destination: D1, or one of the tenant's Dataverse environments with the team that will own the rows
 * there, picked from a searchable list of the environment's teams (name, type, business unit) and checked for the
 * privileges the sync needs. Rendered from destination-state.ts; the shell loads the teams and runs the check.
 */
import type { DataverseConnection, DataverseTeam } from '../../../../../shared/dataverse';
import { Alert, Spinner } from '../../../../components/alert';
import { environmentHost } from '../../dataverse/connection-status';
import { canOwnRows, visibleTeams } from './destination-state';
import type { WizardAction, WizardState } from './wizard-state';

const TEAM_TYPES: Record<string, string> = { owner: 'Owner team', access: 'Access team', security_group: 'Entra security group team', office_group: 'Microsoft 365 group team' };

export function DestinationFields(props: { state: WizardState; dispatch: (action: WizardAction) => void; dataverse: DataverseConnection[] }) {
  const { state, dispatch, dataverse } = props;
  const d = state.destination;
  return (
    <>
      <fieldset class="slds-form-element fb-fieldset" data-testid="destination-choice">
        <legend>Where to write</legend>
        <label class="slds-checkbox fb-check">
          <input type="radio" name="fb-destination" checked={d.kind === 'd1'} onChange={() => dispatch({ type: 'destination', kind: 'd1' })} /> D1, the Worker’s own database
        </label>
        {dataverse.map((c) => (
          <label key={c.id} class="slds-checkbox fb-check">
            <input
              type="radio"
              name="fb-destination"
              checked={d.kind === 'dataverse' && d.connectionId === c.id}
              disabled={c.status !== 'connected'}
              onChange={() => dispatch({ type: 'destination', kind: 'dataverse', connectionId: c.id })}
            />{' '}
            Dataverse: {environmentHost(c)}
            {c.status !== 'connected' && <span class="slds-text-color_weak"> (test the connection under Dataverse environments first)</span>}
          </label>
        ))}
        {dataverse.length === 0 && <p class="slds-text-color_weak">To write into Microsoft Dataverse instead, add an environment under Dataverse environments in this panel.</p>}
      </fieldset>
      {d.kind === 'dataverse' ? (
        <TeamPicker state={state} dispatch={dispatch} />
      ) : (
        <div class="slds-form-element fb-field">
          <label for="fb-team">Owning team</label>
          <input id="fb-team" class="slds-input" value={state.team} onInput={(event) => dispatch({ type: 'set', patch: { team: (event.currentTarget as HTMLInputElement).value } })} placeholder="e.g. Sales" aria-describedby="fb-team-help" aria-invalid={!!state.problem && !state.team.trim()} />
          <span class="slds-text-color_weak" id="fb-team-help">Rows Forcebridge writes belong to this team (their owner).</span>
        </div>
      )}
    </>
  );
}

function TeamPicker({ state, dispatch }: { state: WizardState; dispatch: (action: WizardAction) => void }) {
  const d = state.destination;
  if (!d.teams) return <Spinner label="Loading the environment’s teams…" />;
  const teams = visibleTeams(d);
  const describe = (t: DataverseTeam) => `${TEAM_TYPES[t.teamType] ?? t.teamType}${t.businessUnitName ? ` · business unit ${t.businessUnitName}` : ''}`;
  return (
    <div data-testid="team-picker">
      <div class="slds-form-element fb-field">
        <label for="fb-team-search">Owning team</label>
        <input
          id="fb-team-search"
          class="slds-input"
          type="search"
          value={d.query}
          placeholder="Search teams by name or business unit"
          aria-describedby="fb-team-search-help"
          aria-controls="fb-team-list"
          onInput={(event) => dispatch({ type: 'teamQuery', query: (event.currentTarget as HTMLInputElement).value })}
        />
        <span class="slds-text-color_weak" id="fb-team-search-help">
          Rows Forcebridge writes are owned by this team ({d.teams.length} in the environment{d.query.trim() ? `, ${teams.length} match` : ''}).
        </span>
      </div>
      <fieldset class="slds-form-element fb-fieldset fb-team-list" id="fb-team-list">
        <legend class="slds-assistive-text">Teams</legend>
        {teams.length === 0 && <p class="slds-text-color_weak">No team matches “{d.query.trim()}”.</p>}
        {teams.map((t) => (
          <label key={t.id} class="slds-checkbox fb-check" data-testid="team-option">
            <input type="radio" name="fb-team-pick" checked={d.teamId === t.id} disabled={!canOwnRows(t)} onChange={() => dispatch({ type: 'pickTeam', team: t })} /> <strong>{t.name}</strong>{' '}
            <span class="slds-text-color_weak">
              {describe(t)}
              {!canOwnRows(t) ? ' · cannot own rows' : ''}
            </span>
          </label>
        ))}
      </fieldset>
      {d.teamId && !d.access && <Spinner label="Checking the application user’s privileges for this team…" />}
      {d.access && d.access.teamId === d.teamId && (
        <Alert tone={d.access.ok ? 'success' : 'error'} message={d.access.ok ? d.access.message : firstSentence(d.access.message)} testId="team-access">
          {!d.access.ok && <span class="fb-advice">{d.access.message.slice(firstSentence(d.access.message).length).trim()}</span>}
          {!d.access.ok && (
            <button class="slds-button slds-button_neutral" type="button" onClick={() => dispatch({ type: 'recheckAccess' })} data-testid="recheck-access">
              Check again
            </button>
          )}
        </Alert>
      )}
    </div>
  );
}

/** The Worker's check says what is missing in its first sentence and what to do after it: both stay in view. */
const firstSentence = (message: string) => /^.+?[.!?](?=\s|$)/.exec(message)?.[0] ?? message;
