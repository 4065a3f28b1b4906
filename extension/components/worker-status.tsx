/** How the Worker connection looks everywhere: reachable and whose, or what is wrong and what to do. */
import type { WorkerStatus } from '../utils/messages';

export function WorkerStatusView({ status }: { status: WorkerStatus }) {
  const reachable = status.health !== null;
  return (
    <dl class="fb-facts" data-testid="worker-status">
      <dt>Worker</dt>
      <dd>
        <span class={`fb-badge ${reachable ? 'fb-badge--success' : 'fb-badge--error'}`} data-testid="worker-state">
          {reachable ? 'Reachable' : 'Unreachable'}
        </span>{' '}
        <span class="fb-muted">{status.workerUrl}</span>
        {status.health && <span class="fb-muted"> · v{status.health.version}</span>}
      </dd>
      <dt>Tenant</dt>
      <dd data-testid="tenant-name">{status.tenant ? status.tenant.name : <span class="fb-muted">—</span>}</dd>
      {status.problem && (
        <>
          <dt class="fb-sr-only">Problem</dt>
          <dd class="fb-alert fb-alert--error" role="alert" data-testid="worker-problem">
            {status.problem.message}
          </dd>
        </>
      )}
    </dl>
  );
}
