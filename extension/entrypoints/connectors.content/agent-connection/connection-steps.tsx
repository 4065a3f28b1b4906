/** Live progress of a connection operation: each step with its state and what it did. */
import type { ConnectionStep } from '../../../../shared/api';

const ICONS: Record<ConnectionStep['status'], string> = { pending: '○', running: '◌', done: '✓', skipped: '–', failed: '✕' };
const SPOKEN: Record<ConnectionStep['status'], string> = { pending: 'to do', running: 'in progress', done: 'done', skipped: 'not needed', failed: 'failed' };

export function ConnectionSteps({ steps }: { steps: ConnectionStep[] }) {
  return (
    <ol class="fb-steps" aria-label="Provisioning steps" data-testid="connection-steps">
      {steps.map((step) => (
        <li key={step.step} class={`fb-step--${step.status}`} data-step={step.step} data-status={step.status}>
          <span class="fb-step__icon" aria-hidden="true">
            {ICONS[step.status]}
          </span>
          <span>
            {step.label} <span class="fb-sr-only">({SPOKEN[step.status]})</span>
          </span>
          {(step.error?.message ?? step.detail) && <span class="fb-step__detail">{step.error?.message ?? step.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
