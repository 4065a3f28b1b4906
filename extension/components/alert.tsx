/**
 * One way to show a problem or a result everywhere: a one-line message, the longer text (Salesforce's own wording,
 * a query, a stack of reasons) folded under "Details", and the actions that fix it as buttons beside it.
 */
import type { ComponentChildren } from 'preact';

export type Tone = 'error' | 'warning' | 'success' | 'info';

/** The first sentence or line of a long message, so a narrow cell never holds a whole SOQL error. */
export function firstLine(message: string, limit = 160): { head: string; rest: string | null } {
  const line = message.split('\n')[0]!.trim();
  const sentence = /^(.{20,}?[.!?])\s/.exec(line)?.[1] ?? line;
  const head = sentence.length > limit ? `${sentence.slice(0, limit - 1).trimEnd()}…` : sentence;
  const whole = message.trim();
  if (head === whole) return { head, rest: null };
  // Under Details, what the first line left out (or the whole text when the first line was cut short).
  return { head, rest: whole.startsWith(head) ? whole.slice(head.length).trim() : whole };
}

export function Alert(props: {
  tone: Tone;
  message: string;
  children?: ComponentChildren;
  testId?: string;
  /** status for results, alert for problems that interrupt */
  live?: boolean;
}) {
  const { head, rest } = firstLine(props.message);
  const role = props.live === false ? undefined : props.tone === 'error' ? 'alert' : 'status';
  return (
    <div class={`fb-alert fb-alert--${props.tone}`} role={role} data-testid={props.testId}>
      <p class="fb-alert__message">{head}</p>
      {rest && (
        <details class="fb-alert__details">
          <summary>Details</summary>
          <p class="fb-alert__more">{rest}</p>
        </details>
      )}
      {props.children && <div class="fb-actions">{props.children}</div>}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <p class="fb-spinner" role="status">
      {label}
    </p>
  );
}

export function EmptyState(props: { title: string; children?: ComponentChildren; testId?: string }) {
  return (
    <div class="fb-empty" data-testid={props.testId}>
      <svg class="fb-empty__art" viewBox="0 0 64 40" aria-hidden="true">
        <rect x="6" y="8" width="52" height="26" rx="3" fill="none" stroke="currentColor" stroke-width="2" />
        <path d="M6 16h52M16 24h20M16 29h12" stroke="currentColor" stroke-width="2" />
      </svg>
      <p class="fb-empty__title">{props.title}</p>
      {props.children}
    </div>
  );
}
