/**
 * New connector (or Edit): choose tables → map columns → owning team → review (the first sync's API cost, whether
 * the connection's permissions cover the mapping, and — when editing — what the change will do) → create →
 * activate. The Worker checks everything again; its refusals are shown as they come.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Connection, Connector, Estimate, FieldsResponse } from '../../../../shared/api';
import { DEFAULT_MAPPINGS } from '../../../../shared/mapping/defaults';
import { TABLES, type DestinationTable } from '../../../../shared/mapping/destination';
import { driveConnection } from '../../../utils/drive-connection';
import { type Problem, askBackground } from '../../../utils/messages';
import { MappingEditor } from './mapping-editor';

type Step = 'tables' | 'mapping' | 'team' | 'review' | 'created';
const STEPS: Step[] = ['tables', 'mapping', 'team', 'review'];
const STEP_LABELS: Record<Step, string> = { tables: 'Tables', mapping: 'Column mapping', team: 'Ownership', review: 'Review', created: 'Created' };
const ALL_TABLES: DestinationTable[] = ['contact', 'account'];

export function ConnectorWizard(props: { connection: Connection; editing?: Connector; onClose: (changed: Connector | null) => void }) {
  const editing = props.editing;
  const [step, setStep] = useState<Step>('tables');
  const [tables, setTables] = useState<DestinationTable[]>(editing ? editing.tables.filter((t) => t.enabled).map((t) => t.table) : [...ALL_TABLES]);
  const [mappings, setMappings] = useState<Record<DestinationTable, Record<string, string>>>({
    contact: editing?.tables.find((t) => t.table === 'contact')?.mapping ?? { ...DEFAULT_MAPPINGS.contact },
    account: editing?.tables.find((t) => t.table === 'account')?.mapping ?? { ...DEFAULT_MAPPINGS.account },
  });
  const [team, setTeam] = useState(editing?.team ?? '');
  const [interval, setInterval] = useState(editing?.intervalMinutes ?? 15);
  const [deleteMode, setDeleteMode] = useState<'hard' | 'soft'>(editing?.deleteMode ?? 'hard');
  const [fields, setFields] = useState<Partial<Record<DestinationTable, FieldsResponse>>>({});
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [effects, setEffects] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [created, setCreated] = useState<Connector | null>(null);
  const [connection, setConnection] = useState(props.connection);

  useEffect(() => {
    if (step !== 'mapping') return;
    for (const table of tables) {
      if (fields[table]) continue;
      void askBackground('connectorFields', { connectionId: connection.id, table }).then((result) => {
        if (result.ok) setFields((current) => ({ ...current, [table]: result.data }));
        else setProblem(result.error);
      });
    }
  }, [step, tables.join()]);

  useEffect(() => {
    if (step !== 'review') return;
    setEstimate(null);
    setEffects(null);
    void askBackground('estimateFirstSync', { connectionId: connection.id, tables }).then((result) => (result.ok ? setEstimate(result.data) : setProblem(result.error)));
    if (editing) {
      void askBackground('updateConnector', { id: editing.id, patch: patchOf(), dryRun: true }).then((result) => (result.ok ? setEffects(result.data.effects) : setProblem(result.error)));
    }
  }, [step]);

  const patchOf = () => ({ tables: tables.map((table) => ({ table, mapping: mappings[table] })), team: team.trim(), intervalMinutes: interval, deleteMode });

  // Mapped fields that take a field permission the connection's permission set lacks.
  const missing = tables.flatMap((table) =>
    Object.values(mappings[table]).filter((name) => {
      const field = fields[table]?.columns.flatMap((c) => c.compatible).find((f) => f.name === name);
      return field?.permissionable && !connection.grantedAccess?.fields.includes(`${TABLES[table].source}.${name}`);
    }).map((name) => `${TABLES[table].source}.${name}`),
  );

  const next = () => {
    setProblem(null);
    if (step === 'tables' && tables.length === 0) return setProblem({ code: 'validation', message: 'Choose at least one table.' });
    if (step === 'team' && !team.trim()) return setProblem({ code: 'validation', message: 'Name the team that owns the rows Forcebridge writes.' });
    setStep(STEPS[STEPS.indexOf(step) + 1]!);
  };

  const submit = async () => {
    setBusy(editing ? 'Saving…' : 'Creating…');
    setProblem(null);
    const result = editing
      ? await askBackground('updateConnector', { id: editing.id, patch: patchOf(), dryRun: false }).then((r) => (r.ok ? { ok: true as const, data: r.data.connector } : r))
      : await askBackground('createConnector', { connectionId: connection.id, ...patchOf() });
    setBusy(null);
    if (!result.ok) return setProblem(result.error);
    if (editing) return props.onClose(result.data);
    setCreated(result.data);
    setStep('created');
  };

  const activate = async () => {
    setBusy('Activating…');
    const result = await askBackground('connectorCommand', { id: created!.id, command: 'activate' });
    setBusy(null);
    if (!result.ok) return setProblem(result.error);
    props.onClose(result.data);
  };

  const updatePermissions = async () => {
    setBusy('Updating permissions…');
    const result = await driveConnection('update_permissions', connection.id, setConnection);
    setBusy(null);
    if (!result.ok) setProblem(result.error);
  };

  return (
    <div class="fb-wizard" role="dialog" aria-labelledby="fb-wizard-title" data-testid="connector-wizard">
      <h4 id="fb-wizard-title">{editing ? `Edit ${editing.name}` : 'New connector'}</h4>
      <ol class="fb-wizard__steps" aria-label="Steps">
        {STEPS.map((s) => (
          <li key={s} aria-current={s === step ? 'step' : undefined} class={s === step ? 'fb-current' : ''}>
            {STEP_LABELS[s]}
          </li>
        ))}
      </ol>

      {step === 'tables' && (
        <fieldset class="fb-fieldset">
          <legend>Which Salesforce records to copy</legend>
          {ALL_TABLES.map((table) => (
            <label key={table} class="fb-check">
              <input
                type="checkbox"
                checked={tables.includes(table)}
                onChange={(event) => setTables((event.currentTarget as HTMLInputElement).checked ? [...tables, table] : tables.filter((t) => t !== table))}
              />{' '}
              {TABLES[table].source} → <span class="fb-mono">{table}</span>
            </label>
          ))}
          <p class="fb-muted">Recommended: both. A contact's company (parentcustomerid) points at its account, which is only there if accounts are copied too.</p>
        </fieldset>
      )}

      {step === 'mapping' &&
        tables.map((table) =>
          fields[table] ? (
            <MappingEditor key={table} table={table} fields={fields[table]!} mapping={mappings[table]} onChange={(mapping) => setMappings({ ...mappings, [table]: mapping })} />
          ) : (
            <p key={table} class="fb-spinner" role="status">
              Reading the {TABLES[table].source} fields…
            </p>
          ),
        )}

      {step === 'team' && (
        <div>
          <div class="fb-field">
            <label for="fb-team">Owning team</label>
            <input id="fb-team" class="fb-input" value={team} onInput={(event) => setTeam((event.currentTarget as HTMLInputElement).value)} placeholder="e.g. Sales" />
            <span class="fb-muted">Rows Forcebridge writes belong to this team (their ownerid).</span>
          </div>
          <div class="fb-field">
            <label for="fb-interval">Sync every</label>
            <select id="fb-interval" class="fb-input" value={interval} onChange={(event) => setInterval(Number((event.currentTarget as HTMLSelectElement).value))}>
              {[5, 15, 30, 60, 240, 1440].map((m) => (
                <option key={m} value={m}>
                  {m < 60 ? `${m} minutes` : m === 60 ? 'hour' : m === 1440 ? 'day' : `${m / 60} hours`}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="fb-fieldset">
            <legend>Records deleted in Salesforce</legend>
            <label class="fb-check">
              <input type="radio" name="fb-delete" checked={deleteMode === 'hard'} onChange={() => setDeleteMode('hard')} /> are deleted here too
            </label>
            <label class="fb-check">
              <input type="radio" name="fb-delete" checked={deleteMode === 'soft'} onChange={() => setDeleteMode('soft')} /> stay here, marked deleted
            </label>
          </fieldset>
        </div>
      )}

      {step === 'review' && (
        <div data-testid="wizard-review">
          <dl class="fb-facts">
            <dt>Tables</dt>
            <dd>{tables.map((t) => `${TABLES[t].source} → ${t} (${Object.keys(mappings[t]).length} columns)`).join(', ')}</dd>
            <dt>Team</dt>
            <dd>{team}</dd>
            <dt>Schedule</dt>
            <dd>every {interval} minutes</dd>
            <dt>First sync</dt>
            <dd data-testid="estimate">
              {estimate
                ? `${estimate.tables.map((t) => `${t.records.toLocaleString()} ${t.table}`).join(', ')} · about ${estimate.firstSyncApiCalls} API calls` +
                  (estimate.usage ? ` of the ${(estimate.usage.max - estimate.usage.used).toLocaleString()} the org has left today` : '')
                : 'Estimating…'}
            </dd>
            <dt>Permissions</dt>
            <dd data-testid="permission-coverage">
              {missing.length === 0 ? (
                'The connection can read every mapped field.'
              ) : (
                <>
                  The connection cannot read {missing.join(', ')} yet.{' '}
                  <button class="fb-button" type="button" onClick={updatePermissions} disabled={busy !== null}>
                    Update permissions
                  </button>
                </>
              )}
            </dd>
          </dl>
          {effects && (
            <ul class="fb-effects" data-testid="change-effects">
              {effects.length === 0 ? <li>No change.</li> : effects.map((e) => <li key={e}>{e}</li>)}
            </ul>
          )}
        </div>
      )}

      {step === 'created' && created && (
        <p class="fb-alert fb-alert--success" role="status">
          {created.name} is created. Activate it to start the first sync{estimate ? ` (about ${estimate.firstSyncApiCalls} API calls)` : ''}.
        </p>
      )}

      {busy && (
        <p class="fb-spinner" role="status">
          {busy}
        </p>
      )}
      {problem && (
        <p class="fb-alert fb-alert--error" role="alert" data-testid="wizard-problem">
          {problem.message}
        </p>
      )}

      <div class="fb-actions">
        {step === 'created' ? (
          <>
            <button class="fb-button fb-button--brand" type="button" onClick={activate} disabled={busy !== null}>
              Activate
            </button>
            <button class="fb-button" type="button" onClick={() => props.onClose(created)}>
              Later
            </button>
          </>
        ) : (
          <>
            {step !== 'tables' && (
              <button class="fb-button" type="button" onClick={() => setStep(STEPS[STEPS.indexOf(step) - 1]!)} disabled={busy !== null}>
                Back
              </button>
            )}
            {step === 'review' ? (
              <button class="fb-button fb-button--brand" type="button" onClick={submit} disabled={busy !== null}>
                {editing ? 'Save changes' : 'Create'}
              </button>
            ) : (
              <button class="fb-button fb-button--brand" type="button" onClick={next}>
                Next
              </button>
            )}
            <button class="fb-button" type="button" onClick={() => props.onClose(null)} disabled={busy !== null}>
              Cancel
            </button>
          </>
        )}
      </div>
    </div>
  );
}
