/** How the Forcebridge service looks everywhere: reachable and whose team, or what is wrong and what to do. */
import type { WorkerStatus } from '../utils/messages';
import { Alert, badgeClass } from './alert';

export function WorkerStatusView({ status, showProblem = true }: { status: WorkerStatus; showProblem?: boolean }) {
  const reachable = status.health !== null;
  return (
    <>
      <dl class="fb-facts" data-testid="worker-status">
        <dt>Service</dt>
        <dd>
          <span class={badgeClass(reachable ? 'success' : 'error')} data-testid="worker-state">
            {reachable ? 'Reachable' : 'Unreachable'}
          </span>{' '}
          <span class="slds-text-color_weak">{status.workerUrl}</span>
          {status.health && <span class="slds-text-color_weak"> · v{status.health.version}</span>}
        </dd>
        <dt>Team</dt>
        <dd data-testid="tenant-name">{status.tenant ? status.tenant.name : <span class="slds-text-color_weak">—</span>}</dd>
      </dl>
      {showProblem && status.problem && <Alert tone="error" message={status.problem.message} testId="worker-problem" />}
    </>
  );
}
