/**
 * An SLDS-style on/off switch: a button with role="switch" named after what it controls ("Salesforce access"), its
 * state said beside it (On/Off) rather than in a label that would lie when the state changes.
 */
export function Toggle(props: { label: string; checked: boolean; disabled?: boolean; onChange: (checked: boolean) => void; testId?: string; describedBy?: string }) {
  return (
    <button
      type="button"
      role="switch"
      class="fb-toggle"
      aria-checked={props.checked}
      aria-describedby={props.describedBy}
      disabled={props.disabled}
      onClick={() => props.onChange(!props.checked)}
      data-testid={props.testId}
    >
      <span class="fb-toggle__label">{props.label}</span>
      <span class="fb-toggle__track" aria-hidden="true">
        <span class="fb-toggle__knob" />
      </span>
      <span class="fb-toggle__state" aria-hidden="true">
        {props.checked ? 'On' : 'Off'}
      </span>
    </button>
  );
}
