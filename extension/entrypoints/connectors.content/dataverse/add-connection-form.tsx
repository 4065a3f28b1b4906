/**
 * "Add environment": environment URL, Directory (tenant) ID, Application (client) ID, and a certificate (the Worker
 * makes the key pair and keeps the private key; preferred) or a client secret. Rendered from connection-form.ts.
 */
import { useReducer } from 'preact/hooks';
import type { DataverseConnectionInput } from '../../../../shared/dataverse';
import { type FormField, connectionFormReducer, emptyForm, formInput } from './connection-form';

const FIELDS: { field: Exclude<FormField, 'clientSecret'>; label: string; placeholder: string; help: string }[] = [
  { field: 'environmentUrl', label: 'Environment URL', placeholder: 'https://contoso.crm.dynamics.com', help: 'Power Platform admin center → Environments → your environment → Environment URL.' },
  { field: 'tenantId', label: 'Directory (tenant) ID', placeholder: '00000000-0000-0000-0000-000000000000', help: 'Entra admin center → App registrations → your app → Overview.' },
  { field: 'clientId', label: 'Application (client) ID', placeholder: '00000000-0000-0000-0000-000000000000', help: 'On the same Overview page.' },
];

export function AddConnectionForm(props: { busy: boolean; onSubmit: (input: DataverseConnectionInput) => Promise<boolean>; onCancel?: () => void }) {
  const [state, dispatch] = useReducer(connectionFormReducer, undefined, emptyForm);
  const submit = async (event: Event) => {
    event.preventDefault();
    const checked = formInput(state);
    if (!checked.ok) return dispatch({ type: 'invalid', errors: checked.errors });
    if (await props.onSubmit(checked.input)) dispatch({ type: 'clear' });
  };
  const errorOf = (field: FormField) =>
    state.errors[field] && (
      <span class="slds-form-element__help fb-field-error" id={`fb-dv-${field}-error`} data-testid={`dv-error-${field}`}>
        {state.errors[field]}
      </span>
    );
  return (
    <form class="fb-dv-form" onSubmit={submit} aria-labelledby="fb-dv-add" data-testid="dataverse-add-form" noValidate>
      <h4 class="fb-subheading" id="fb-dv-add">
        Add an environment
      </h4>
      {FIELDS.map(({ field, label, placeholder, help }) => (
        <div key={field} class={`slds-form-element fb-field${state.errors[field] ? ' slds-has-error' : ''}`}>
          <label class="slds-form-element__label" for={`fb-dv-${field}`}>
            {label}
          </label>
          <div class="slds-form-element__control">
            <input
              id={`fb-dv-${field}`}
              class="slds-input"
              value={state[field]}
              placeholder={placeholder}
              autocomplete="off"
              spellcheck={false}
              aria-invalid={!!state.errors[field]}
              aria-describedby={`fb-dv-${field}-help${state.errors[field] ? ` fb-dv-${field}-error` : ''}`}
              onInput={(e) => dispatch({ type: 'set', field, value: e.currentTarget.value })}
            />
          </div>
          <span class="slds-form-element__help slds-text-color_weak" id={`fb-dv-${field}-help`}>
            {help}
          </span>
          {errorOf(field)}
        </div>
      ))}
      <fieldset class="slds-form-element fb-fieldset">
        <legend>Credential</legend>
        <label class="slds-checkbox fb-check">
          <input type="radio" name="fb-dv-credential" checked={state.credential === 'certificate'} onChange={() => dispatch({ type: 'credential', credential: 'certificate' })} /> Certificate
          (recommended): Forcebridge makes the key pair, keeps the private key and shows the certificate to upload
        </label>
        <label class="slds-checkbox fb-check">
          <input type="radio" name="fb-dv-credential" checked={state.credential === 'secret'} onChange={() => dispatch({ type: 'credential', credential: 'secret' })} /> Client secret
        </label>
      </fieldset>
      {state.credential === 'secret' && (
        <div class={`slds-form-element fb-field${state.errors.clientSecret ? ' slds-has-error' : ''}`}>
          <label class="slds-form-element__label" for="fb-dv-clientSecret">
            Client secret value
          </label>
          <div class="slds-form-element__control">
            <input
              id="fb-dv-clientSecret"
              class="slds-input"
              type="password"
              autocomplete="off"
              value={state.clientSecret}
              aria-invalid={!!state.errors.clientSecret}
              aria-describedby={`fb-dv-clientSecret-help${state.errors.clientSecret ? ' fb-dv-clientSecret-error' : ''}`}
              onInput={(e) => dispatch({ type: 'set', field: 'clientSecret', value: e.currentTarget.value })}
            />
          </div>
          <span class="slds-form-element__help slds-text-color_weak" id="fb-dv-clientSecret-help">
            Sealed in the Worker and never shown again. Secrets expire: Test connection says when.
          </span>
          {errorOf('clientSecret')}
        </div>
      )}
      <div class="fb-actions">
        <button class="slds-button slds-button_brand" type="submit" disabled={props.busy} data-testid="add-dataverse">
          Add environment
        </button>
        {props.onCancel && (
          <button class="slds-button slds-button_neutral" type="button" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
