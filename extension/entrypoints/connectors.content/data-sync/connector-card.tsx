/**
 * One connector: its name and state (as the Worker decided it), actions that each say what they do, per table the
 * last run or first-load progress, and diagnostics: run history, rejects, the org's API usage. Every advice comes
 * with the button that acts on it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Connector, Reject, SyncRun } from '../../../../shared/api';
import { Alert, badgeClass } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/modal';
import { Time, count, every } from '../../../components/time';
import { type Problem, askBackground } from '../../../utils/messages';
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

export function ConnectorCard(props: { connector: Connector; instanceUrl: string } & CardActions) {
  const c = props.connector;
  const [runs, setRuns] = useState<SyncRun[]>([]);
  const [rejects, setRejects] = useState<Reject[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void askBackground('connectorRuns', { id: c.id }).then((r) => (r.ok ? setRuns(r.data) : setProblem(r.error)));
    void askBackground('connectorRejects', { id: c.id }).then((r) => (r.ok ? setRejects(r.data) : setProblem(r.error)));
  }, [c.id, c.updatedAt, c.tables.map((t) => `${t.lastRun?.id}:${t.lastRun?.status}`).join()]);

  const command = async (name: 'activate' | 'deactivate' | 'sync' | 'delete') => {
    setBusy(true);
    setProblem(null);
    setNotice(null);
    const result = await askBackground('connectorCommand', { id: c.id, command: name });
    setBusy(false);
    setConfirmDelete(false);
    if (!result.ok) return setProblem(result.error);
    if (name === 'sync') setNotice('Sync requested: it starts within a minute and the tables below update as it runs.');
    if (name === 'activate') setNotice('Activated: the first sync starts within a minute.');
    if (name === 'deactivate') setNotice('Deactivated: syncing stops; the copied data stays.');
    props.onChanged(result.data);
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
                        <Alert tone={run.status === 'failed' ? 'error' : 'warning'} message={`${run.errorMessage}${run.errorCode ? `\nSalesforce code: ${run.errorCode}` : ''}`} testId="last-error" live={false}>
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

      {notice && <Alert tone="info" message={notice} testId="connector-notice" />}
      {problem && <Alert tone="error" message={problem.message} />}

      <details class="fb-details" open={rejectedLast > 0 ? true : undefined}>
        <summary>Diagnostics</summary>
        <h5>Run history</h5>
        <RunHistory runs={runs} />
        <h5>Rejected records ({rejects.length.toLocaleString('en-US')})</h5>
        <Rejects rejects={rejects} instanceUrl={props.instanceUrl} connectorName={c.name} />
        <h5>API usage</h5>
        {c.apiUsage ? (
          <div data-testid="api-usage">
            <div class="slds-progress-bar slds-progress-bar_circular" role="meter" aria-label="Daily API requests used" aria-valuemin={0} aria-valuemax={c.apiUsage.max} aria-valuenow={c.apiUsage.used}>
              <span class="slds-progress-bar__value" style={{ width: `${Math.min(100, (c.apiUsage.used / c.apiUsage.max) * 100)}%` }} />
            </div>
            <span class="slds-text-body_small">
              {c.apiUsage.used.toLocaleString('en-US')} of {c.apiUsage.max.toLocaleString('en-US')} today (keeps {Math.round(c.budgetThreshold * 100)}% in reserve)
            </span>
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
