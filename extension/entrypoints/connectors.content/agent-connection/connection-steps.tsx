/** Live progress of a connection operation (each step with its state and what it did), and what it did at the end. */
import type { Connection, ConnectionStep } from '../../../../shared/api';
import { Alert } from '../../../components/alert';

const ICONS: Record<ConnectionStep['status'], string> = { pending: '○', running: '◌', done: '✓', skipped: '–', failed: '✕' };
const SPOKEN: Record<ConnectionStep['status'], string> = { pending: 'to do', running: 'in progress', done: 'done', skipped: 'not needed', failed: 'failed' };

export function ConnectionSteps({ steps }: { steps: ConnectionStep[] }) {
  return (
    <ol class="fb-steps" aria-label="Progress" data-testid="connection-steps">
      {steps.map((step) => (
        <li key={step.step} class={`fb-step--${step.status}`} data-step={step.step} data-status={step.status}>
          <span class="fb-step__icon" aria-hidden="true">
            {ICONS[step.status]}
          </span>
          <span>
            {step.label} <span class="slds-assistive-text">({SPOKEN[step.status]})</span>
          </span>
          {step.status !== 'failed' && step.detail && <span class="fb-step__detail">{step.detail}</span>}
        </li>
      ))}
    </ol>
  );
}

const DONE: Record<Connection['operation'], string> = {
  turn_on: 'Salesforce access is on.',
  turn_off: 'Salesforce access is off.',
  reconnect: 'The connection is recreated.',
  update_permissions: 'Permissions are updated.',
};

/** After an operation: one line on the result, and what each step did folded under Details. */
export function OperationSummary({ connection }: { connection: Connection }) {
  const did = connection.steps.filter((s) => s.status === 'done').map((s) => `${s.label}${s.detail ? `: ${s.detail}` : ''}`);
  return <Alert tone="success" message={`${DONE[connection.operation]} ${did.length > 0 ? `\n${did.join('\n')}` : ''}`.trim()} testId="operation-summary" />;
}
