/** An SLDS-style on/off switch: a button with role="switch", so keyboards and screen readers know what it is. */
export function Toggle(props: { label: string; checked: boolean; disabled?: boolean; onChange: (checked: boolean) => void; testId?: string }) {
  return (
    <button
      type="button"
      role="switch"
      class="fb-toggle"
      aria-checked={props.checked}
      disabled={props.disabled}
      onClick={() => props.onChange(!props.checked)}
      data-testid={props.testId}
    >
      <span class="fb-toggle__track" aria-hidden="true">
        <span class="fb-toggle__knob" />
      </span>
      <span class="fb-toggle__label">{props.label}</span>
    </button>
  );
}
