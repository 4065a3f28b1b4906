/**
 * The Lightning Design System checkbox toggle, as a switch: named after what it controls ("Salesforce access") with
 * its state (On/Off) beside it, rather than a label that would lie when the state changes. The page decides the
 * state (a confirmation may come first), so the click's own change is cancelled and reported instead.
 */
export function Toggle(props: { label: string; checked: boolean; disabled?: boolean; onChange: (checked: boolean) => void; testId?: string; describedBy?: string }) {
  return (
    <div class="slds-form-element">
      <label class="slds-checkbox_toggle slds-grid">
        <span class="slds-form-element__label slds-m-bottom_none">{props.label}</span>
        <input
          type="checkbox"
          role="switch"
          checked={props.checked}
          aria-checked={props.checked}
          aria-describedby={props.describedBy}
          disabled={props.disabled}
          data-testid={props.testId}
          onClick={(event) => {
            event.preventDefault();
            props.onChange(!props.checked);
          }}
        />
        <span class="slds-checkbox_faux_container" aria-hidden="true">
          <span class="slds-checkbox_faux" />
          <span class="slds-checkbox_on" data-testid={props.testId && `${props.testId}-state`}>
            On
          </span>
          <span class="slds-checkbox_off">Off</span>
        </span>
      </label>
    </div>
  );
}
