/**
 * One connector: its name and state (as the Worker decided it), actions that each say what they do, per table the
 * last run or first-load progress, and diagnostics: run history, rejects, the org's API usage. Every advice comes
 * with the button that acts on it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Connector, Reject, SyncRun } from '../../../../shared/api';
import type { DataverseConnection } from '../../../../shared/dataverse';
import { Alert, badgeClass } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/modal';
import { LearnMore } from '../../../components/learn-more';
import { useToast } from '../../../components/toast';
import { Time, count, every } from '../../../components/time';
import { type Problem, askBackground } from '../../../utils/messages';
import { destinationLabel } from '../dataverse/connection-status';
import { RECONCILE_SCHEDULES, reconciliationLine } from './reconciliation';
import { CopyRules } from './copy-rules/copy-rules';
import { Rejects } from './rejects';
import { ADVICE_LABELS, type AdviceAction, runAdvice } from './run-advice';
import { RunHistory, STATUS_LABEL } from './run-history';

export interface CardActions {
  onEdit: () => void;
  onChanged: (connector: Connector | null) => void;
  onUpdatePermissions: () => void;
  onTurnOn: () => void;
  onVerify: () => void;
}

export function ConnectorCard(props: { connector: Connector; instanceUrl: string; dataverse?: DataverseConnection[] } & CardActions) {
  const c = props.connector;
  const [runs, setRuns] = useState<SyncRun[]>([]);
  const [rejects, setRejects] = useState<Reject[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const toast = useToast();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void askBackground('connectorRuns', { id: c.id }).then((r) => (r.ok ? setRuns(r.data) : setProblem(r.error)));
    void askBackground('connectorRejects', { id: c.id }).then((r) => (r.ok ? setRejects(r.data) : setProblem(r.error)));
  }, [c.id, c.updatedAt, c.tables.map((t) => `${t.lastRun?.id}:${t.lastRun?.status}`).join()]);

  const command = async (name: 'activate' | 'deactivate' | 'sync' | 'reconcile' | 'delete') => {
    setBusy(true);
    setProblem(null);
    const result = await askBackground('connectorCommand', { id: c.id, command: name });
    setBusy(false);
    setConfirmDelete(false);
    if (!result.ok) return setProblem(result.error);
    if (name === 'sync') toast({ tone: 'info', message: `Sync of ${c.name} requested: it starts within a minute and the tables update as it runs.` });
    if (name === 'reconcile') toast({ tone: 'info', message: `Reconciliation of ${c.name} requested: every Id is compared with Salesforce on the run that starts now; records purged there are removed.` });
    if (name === 'activate') toast({ tone: 'success', message: `${c.name} activated: the first sync starts within a minute.` });
    if (name === 'deactivate') toast({ tone: 'success', message: `${c.name} deactivated: syncing stops; the copied data stays.` });
    if (name === 'delete') toast({ tone: 'success', message: `${c.name} deleted. The rows it copied stay.` });
    props.onChanged(result.data);
  };

  const schedule = async (days: number) => {
    setBusy(true);
    setProblem(null);
    const result = await askBackground('updateConnector', { id: c.id, patch: { reconcileEveryDays: days }, dryRun: false });
    setBusy(false);
    if (!result.ok) return setProblem(result.error);
    props.onChanged(result.data.connector);
  };

  const act = (action: AdviceAction) => {
    if (action === 'sync') return command('sync');
    if (action === 'update_permissions') return props.onUpdatePermissions();
    if (action === 'edit') return props.onEdit();
    if (action === 'turn_on') return props.onTurnOn();
    return props.onVerify();
  };

  const tables = c.tables.filter((t) => t.enabled);
  const rejectedLast = tables.reduce((sum, t) => sum + (t.lastRun?.rejected ?? 0), 0);

  return (
    <article class="slds-card fb-card" data-testid="connector-card" data-connector={c.id} data-state={c.state.label} aria-labelledby={`fb-connector-${c.id}`}>
      <header class="fb-card__header">
        <h4 id={`fb-connector-${c.id}`}>{c.name}</h4>
        <span class={badgeClass(c.state.tone)} data-testid="connector-state" title={c.state.detail}>
          {c.state.label}
        </span>
      </header>
      <p class="slds-text-color_weak" data-testid="connector-facts">
        Team {c.team} · syncs {every(c.intervalMinutes)} · deletes {c.deleteMode === 'hard' ? 'applied' : 'kept, marked'}
        {c.nextRunAt && c.active ? (
          <>
            {' '}
            · next <Time iso={c.nextRunAt} />
          </>
        ) : null}
      </p>
      <p class="slds-text-color_weak" data-testid="connector-destination" data-kind={c.destination.kind}>
        {destinationLabel(c.destination, c.team, props.dataverse)}
      </p>
      <p class="slds-assistive-text">{c.state.detail}</p>
      {!c.permissions.covered && c.active && (
        <Alert tone="warning" message={`The connection cannot read ${c.permissions.missing.join(', ')}.`} testId="permissions-missing">
          <button class="slds-button slds-button_neutral" type="button" onClick={props.onUpdatePermissions}>
            Update permissions
          </button>
        </Alert>
      )}

      <table class="slds-table slds-table_cell-buffer slds-table_bordered" aria-label={`Tables of ${c.name}`}>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">Rows</th>
            <th scope="col">Last run</th>
          </tr>
        </thead>
        <tbody>
          {tables.map((t) => {
            const loading = t.phase === 'initial' && t.total !== null && t.total > 0;
            const progress = loading ? Math.min(100, Math.round((t.loaded / t.total!) * 100)) : null;
            const run = t.lastRun;
            const advice = run ? runAdvice(run) : null;
            return (
              <tr key={t.table} data-table={t.table} data-testid="table-row">
                <th scope="row">{t.table}</th>
                <td data-testid="table-rows">{t.rows.toLocaleString('en-US')}</td>
                <td>
                  {progress !== null && (
                    <div data-testid="first-load-progress">
                      <div class="slds-progress-bar slds-progress-bar_circular" role="progressbar" aria-label={`First load of ${t.table}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress}>
                        <span class="slds-progress-bar__value" style={{ width: `${progress}%` }} />
                      </div>
                      <span class="slds-text-body_small">
                        {t.loaded.toLocaleString('en-US')} of {t.total!.toLocaleString('en-US')} loaded
                      </span>
                    </div>
                  )}
                  {run ? (
                    <>
                      <span data-testid="last-run-status">{run.status === 'succeeded' && run.rejected > 0 ? 'Succeeded with rejects' : STATUS_LABEL[run.status]}</span>
                      <span class="slds-text-color_weak" data-testid="last-run-numbers">
                        {' '}
                        · <Time iso={run.startedAt} />
                        {/* During a first load the run's own count lags the table's progress; the bar above says it. */}
                        {progress === null || run.status !== 'running' ? ` · ${run.read.toLocaleString('en-US')} read, ${run.upserted.toLocaleString('en-US')} written, ${run.deleted.toLocaleString('en-US')} deleted` : ''}
                        {run.rejected ? `, ${run.rejected.toLocaleString('en-US')} rejected` : ''} ·{' '}
                        {/* One Composite call can carry several tables' pages; it is counted once, on the first. */}
                        {run.apiCalls > 0 ? count(run.apiCalls, 'API call') : 'in a shared API call'}
                      </span>
                      {run.errorMessage && run.status !== 'partial' && (
                        <Alert tone={run.status === 'failed' ? 'error' : 'warning'} message={`${run.errorMessage}${run.errorCode ? `\n${codeLabel(run.errorSource)}: ${run.errorCode}` : ''}`} testId="last-error" live={false}>
                          {advice && <span class="fb-advice">{advice.text}</span>}
                          {advice?.action && (
                            <button class="slds-button slds-button_neutral" type="button" onClick={() => act(advice.action!)} data-testid="advice-action">
                              {ADVICE_LABELS[advice.action]}
                            </button>
                          )}
                        </Alert>
                      )}
                    </>
                  ) : (
                    <span class="slds-text-color_weak">{c.active ? 'Starting…' : 'Not run yet'}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <CopyRules connector={c} onChanged={props.onChanged} />

      {problem && <Alert tone="error" message={problem.message} />}

      <details class="fb-details" open={rejectedLast > 0 ? true : undefined}>
        <summary>Diagnostics</summary>
        <h5>Run history</h5>
        <RunHistory runs={runs} />
        <h5>Rejected records ({rejects.length.toLocaleString('en-US')})</h5>
        <Rejects rejects={rejects} instanceUrl={props.instanceUrl} connectorId={c.id} connectorName={c.name} destination={c.destination.kind} onRetried={() => props.onChanged(null)} />
        <h5>Id reconciliation</h5>
        <div data-testid="reconciliation">
          <label class="slds-form-element__label" for={`fb-reconcile-${c.id}`}>
            Compare every Id with Salesforce
          </label>
          <select id={`fb-reconcile-${c.id}`} class="slds-select" value={c.reconcileEveryDays ?? 7} disabled={busy} onChange={(e) => schedule(Number((e.target as HTMLSelectElement).value))}>
            {RECONCILE_SCHEDULES.map((s) => (
              <option key={s.days} value={s.days}>
                {s.label}
              </option>
            ))}
          </select>
          <ul>
            {tables.map((t) => {
              const line = reconciliationLine(t);
              return (
                <li key={t.table} data-table={t.table} data-tone={line.tone} data-testid="reconciliation-line">
                  {t.table}: {line.text}
                  {t.reconciliation?.lastRun && (
                    <span class="slds-text-color_weak">
                      {' '}
                      · <Time iso={t.reconciliation.lastRun.startedAt} /> · {count(t.reconciliation.lastRun.apiCalls, 'API call')}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
        <h5>API usage</h5>
        {c.apiUsage ? (
          <div data-testid="api-usage">
            <div class="slds-progress-bar slds-progress-bar_circular" role="meter" aria-label="Daily API requests used" aria-valuemin={0} aria-valuemax={c.apiUsage.max} aria-valuenow={c.apiUsage.used}>
              <span class="slds-progress-bar__value" style={{ width: `${Math.min(100, (c.apiUsage.used / c.apiUsage.max) * 100)}%` }} />
            </div>
            <span class="slds-text-body_small">
              {c.apiUsage.used.toLocaleString('en-US')} of {c.apiUsage.max.toLocaleString('en-US')} today (keeps {Math.round(c.budgetThreshold * 100)}% in reserve)
            </span>{' '}
            <LearnMore topic="api-budget" about="daily API requests" />
          </div>
        ) : (
          <p class="slds-text-color_weak">Not known yet: Salesforce reports it with the first sync.</p>
        )}
      </details>

      {confirmDelete && (
        <ConfirmDialog title={`Delete ${c.name}?`} confirm="Delete" destructive onConfirm={() => command('delete')} onCancel={() => setConfirmDelete(false)} testId="confirm-delete">
          <p>Syncing stops and the connector’s settings are deleted; the contact and account rows already copied stay.</p>
        </ConfirmDialog>
      )}
      <div class="fb-actions">
        {c.active ? (
          <>
            <button class="slds-button slds-button_neutral" type="button" onClick={() => command('sync')} disabled={busy}>
              Sync now
            </button>
            <button class="slds-button slds-button_neutral" type="button" onClick={() => command('reconcile')} disabled={busy} title="Compares every Id with Salesforce and removes records purged there.">
              Reconcile now
            </button>
            <button class="slds-button slds-button_neutral" type="button" onClick={() => command('deactivate')} disabled={busy} title="Stops syncing; the copied data stays.">
              Deactivate
            </button>
          </>
        ) : (
          <button class="slds-button slds-button_brand" type="button" onClick={() => command('activate')} disabled={busy}>
            Activate
          </button>
        )}
        <button class="slds-button slds-button_neutral" type="button" onClick={props.onEdit} disabled={busy}>
          Edit
        </button>
        <button class="slds-button slds-button_neutral" type="button" onClick={() => setConfirmDelete(true)} disabled={busy}>
          Delete…
        </button>
      </div>
    </article>
  );
}

/** Whose code a run's error carries: Salesforce's, Dataverse's (the Dataverse writer's), or ours. */
function codeLabel(source: string | null): string {
  if (source === 'salesforce') return 'Salesforce code';
  if (source === 'dataverse') return 'Dataverse code';
  return 'Code';
}
