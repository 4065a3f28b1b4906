/**
 * One connector: its state and actions (activate/deactivate, sync now, edit, delete — each saying what it does),
 * and its diagnostics: per table the last run, counts and first-load progress, the run history, rejects with their
 * reasons, the org's API usage, and the last error with Salesforce's code and what to do.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Connector, Reject, SyncRun } from '../../../../shared/api';
import { type Problem, askBackground } from '../../../utils/messages';
import { RunHistoryChart } from './run-history-chart';
import { runAdvice } from './run-advice';

const STATUS_LABEL: Record<SyncRun['status'], string> = { succeeded: 'Succeeded', partial: 'Partly done', rate_limited: 'Paused (API limit)', failed: 'Failed', running: 'Running' };

function connectorState(c: Connector): { label: string; tone: string } {
  if (!c.active) return { label: 'Inactive', tone: 'neutral' };
  if (c.tables.some((t) => t.enabled && t.lastRun?.status === 'failed')) return { label: 'Error', tone: 'error' };
  if (c.tables.some((t) => t.enabled && (t.phase === 'initial' || t.lastRun?.status === 'running' || t.lastRun?.status === 'partial'))) return { label: 'Syncing', tone: 'neutral' };
  return { label: 'Active', tone: 'success' };
}

export function ConnectorCard(props: { connector: Connector; onEdit: () => void; onChanged: (connector: Connector | null) => void }) {
  const c = props.connector;
  const [runs, setRuns] = useState<SyncRun[]>([]);
  const [rejects, setRejects] = useState<Reject[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const state = connectorState(c);

  useEffect(() => {
    void askBackground('connectorRuns', { id: c.id }).then((r) => r.ok && setRuns(r.data));
    void askBackground('connectorRejects', { id: c.id }).then((r) => r.ok && setRejects(r.data));
  }, [c.id, c.updatedAt, c.tables.map((t) => t.lastRun?.id).join()]);

  const command = async (name: 'activate' | 'deactivate' | 'sync' | 'delete') => {
    setBusy(true);
    setProblem(null);
    const result = await askBackground('connectorCommand', { id: c.id, command: name });
    setBusy(false);
    setConfirmDelete(false);
    if (!result.ok) return setProblem(result.error);
    props.onChanged(result.data);
  };

  return (
    <article class="fb-card" data-testid="connector-card" data-connector={c.id} data-state={state.label}>
      <header class="fb-card__header">
        <h4>{c.name}</h4>
        <span class={`fb-badge fb-badge--${state.tone}`} data-testid="connector-state">
          {state.label}
        </span>
      </header>
      <p class="fb-muted">
        Team {c.team} · every {c.intervalMinutes} min · deletes {c.deleteMode === 'hard' ? 'applied' : 'kept, marked'}
        {c.nextRunAt && c.active ? ` · next ${new Date(c.nextRunAt).toLocaleTimeString()}` : ''}
      </p>
      {!c.permissions.covered && c.active && (
        <p class="fb-alert fb-alert--error" role="alert">
          The connection cannot read {c.permissions.missing.join(', ')}. Update permissions in Agent connections → Salesforce.
        </p>
      )}

      <table class="fb-table" aria-label="Tables">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">Rows</th>
            <th scope="col">Last run</th>
          </tr>
        </thead>
        <tbody>
          {c.tables
            .filter((t) => t.enabled)
            .map((t) => {
              const progress = t.phase === 'initial' && t.total ? Math.min(100, Math.round((t.loaded / t.total) * 100)) : null;
              const advice = t.lastRun ? runAdvice(t.lastRun) : null;
              return (
                <tr key={t.table} data-table={t.table} data-testid="table-row">
                  <th scope="row">{t.table}</th>
                  <td data-testid="table-rows">{t.rows.toLocaleString()}</td>
                  <td>
                    {progress !== null && (
                      <div class="fb-progress" role="progressbar" aria-label={`First load of ${t.table}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress} data-testid="first-load-progress">
                        <div class="fb-progress__bar" style={{ width: `${progress}%` }} />
                        <span>
                          {t.loaded.toLocaleString()} / {t.total!.toLocaleString()}
                        </span>
                      </div>
                    )}
                    {t.lastRun ? (
                      <>
                        <span data-testid="last-run-status">{STATUS_LABEL[t.lastRun.status]}</span>
                        <span class="fb-muted">
                          {' '}
                          · {new Date(t.lastRun.startedAt).toLocaleTimeString()} · {t.lastRun.read} read, {t.lastRun.upserted} written, {t.lastRun.deleted} deleted
                          {t.lastRun.rejected ? `, ${t.lastRun.rejected} rejected` : ''} ·{' '}
                          {/* One Composite call can carry several tables' pages; it is counted once, on the first. */}
                          {t.lastRun.apiCalls > 0 ? `${t.lastRun.apiCalls} API calls` : 'in a shared API call'}
                        </span>
                        {t.lastRun.errorMessage && t.lastRun.status !== 'partial' && (
                          <p class="fb-alert fb-alert--error" data-testid="last-error">
                            {t.lastRun.errorCode && <code>{t.lastRun.errorCode}</code>} {t.lastRun.errorMessage}
                            {advice && <span class="fb-advice"> {advice}</span>}
                          </p>
                        )}
                      </>
                    ) : (
                      <span class="fb-muted">{c.active ? 'Starting…' : 'Not run yet'}</span>
                    )}
                  </td>
                </tr>
              );
            })}
        </tbody>
      </table>

      <details class="fb-details">
        <summary>Diagnostics</summary>
        <h5>Run history</h5>
        <RunHistoryChart runs={runs} />
        <h5>API usage</h5>
        {c.apiUsage ? (
          <div class="fb-progress" role="meter" aria-label="Daily API requests used" aria-valuemin={0} aria-valuemax={c.apiUsage.max} aria-valuenow={c.apiUsage.used} data-testid="api-usage">
            <div class="fb-progress__bar" style={{ width: `${Math.min(100, (c.apiUsage.used / c.apiUsage.max) * 100)}%` }} />
            <span>
              {c.apiUsage.used.toLocaleString()} of {c.apiUsage.max.toLocaleString()} today (keeps {Math.round(c.budgetThreshold * 100)} % in reserve)
            </span>
          </div>
        ) : (
          <p class="fb-muted">Not known yet: Salesforce reports it with the first sync.</p>
        )}
        <h5>Rejected records ({rejects.length})</h5>
        {rejects.length === 0 ? (
          <p class="fb-muted">None: every record Salesforce sent could be written.</p>
        ) : (
          <ul class="fb-rejects" data-testid="rejects">
            {rejects.map((r) => (
              <li key={`${r.table}-${r.salesforceId}`}>
                <span class="fb-mono">{r.salesforceId}</span> ({r.table}): {r.reason}
              </li>
            ))}
          </ul>
        )}
      </details>

      {problem && (
        <p class="fb-alert fb-alert--error" role="alert">
          {problem.message}
        </p>
      )}
      {confirmDelete ? (
        <div class="fb-alert" role="alertdialog" aria-label="Delete the connector?">
          <p>Delete {c.name}? Syncing stops; the contact and account rows already copied stay.</p>
          <div class="fb-actions">
            <button class="fb-button fb-button--destructive" type="button" onClick={() => command('delete')} disabled={busy}>
              Delete
            </button>
            <button class="fb-button" type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="fb-actions">
          {c.active ? (
            <>
              <button class="fb-button" type="button" onClick={() => command('sync')} disabled={busy}>
                Sync now
              </button>
              <button class="fb-button" type="button" onClick={() => command('deactivate')} disabled={busy} title="Stops syncing; the copied data stays.">
                Deactivate
              </button>
            </>
          ) : (
            <button class="fb-button fb-button--brand" type="button" onClick={() => command('activate')} disabled={busy}>
              Activate
            </button>
          )}
          <button class="fb-button" type="button" onClick={props.onEdit} disabled={busy}>
            Edit
          </button>
          <button class="fb-button" type="button" onClick={() => setConfirmDelete(true)} disabled={busy}>
            Delete
          </button>
        </div>
      )}
    </article>
  );
}
