/**
 * One way to show a problem or a result everywhere (an SLDS scoped notification): a one-line message, the longer
 * text (Salesforce's own wording, a query) folded under "Details", and the actions that fix it as buttons. Also the
 * shared badge, spinner and empty state, in Lightning Design System markup.
 */
import type { ComponentChildren } from 'preact';
import illustration from '@salesforce-ux/design-system/assets/images/illustrations/empty-state-tasks.svg?raw';
import { Icon, type IconName } from './icon';

export type Tone = 'error' | 'warning' | 'success' | 'info';
export type BadgeTone = Tone | 'neutral';

const BADGE: Record<BadgeTone, string> = {
  success: 'slds-badge slds-theme_success',
  error: 'slds-badge slds-theme_error',
  warning: 'slds-badge slds-theme_warning',
  info: 'slds-badge slds-badge_lightest',
  neutral: 'slds-badge',
};
export const badgeClass = (tone: BadgeTone) => BADGE[tone];

const ICON: Record<Tone, IconName> = { error: 'error', warning: 'warning', success: 'success', info: 'info' };

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
  /** status for results, alert for problems that interrupt; false inside tables that refresh */
  live?: boolean;
}) {
  const { head, rest } = firstLine(props.message);
  const role = props.live === false ? undefined : props.tone === 'error' ? 'alert' : 'status';
  return (
    <div class={`slds-scoped-notification slds-media slds-scoped-notification_light fb-alert fb-alert--${props.tone}`} role={role} data-testid={props.testId}>
      <div class="slds-media__figure">
        <span class={`slds-icon_container slds-icon-utility-${ICON[props.tone]}`}>
          <Icon name={ICON[props.tone]} class={`slds-icon slds-icon_x-small fb-alert__icon`} />
        </span>
      </div>
      <div class="slds-media__body">
        <p class="fb-alert__message">{head}</p>
        {rest && (
          <details class="fb-alert__details">
            <summary>Details</summary>
            <p class="fb-alert__more">{rest}</p>
          </details>
        )}
        {props.children && <div class="fb-actions">{props.children}</div>}
      </div>
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <div class="fb-spinner" role="status">
      <div class="slds-spinner slds-spinner_x-small slds-spinner_inline slds-spinner_brand" aria-hidden="true">
        <div class="slds-spinner__dot-a" />
        <div class="slds-spinner__dot-b" />
      </div>
      <span>{label}</span>
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ComponentChildren; testId?: string }) {
  return (
    <div class="slds-illustration slds-illustration_small" data-testid={props.testId}>
      <div class="slds-illustration__svg fb-illustration" aria-hidden="true" dangerouslySetInnerHTML={{ __html: illustration }} />
      <div class="slds-text-longform">
        <h3 class="slds-text-heading_small">{props.title}</h3>
        {props.children}
      </div>
    </div>
  );
}
