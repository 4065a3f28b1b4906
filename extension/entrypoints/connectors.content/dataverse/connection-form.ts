/**
 * The "Add environment" form as a pure reducer: what the admin typed, the credential chosen (a certificate the
 * Worker makes, preferred, or a client secret), and each field's problem in words that say what to enter. The Worker
 * checks everything again (and the environment's host); its refusals are shown as they come.
 */
import { type DataverseConnectionInput, DataverseConnectionInputSchema } from '../../../../shared/dataverse';

export type FormField = 'environmentUrl' | 'tenantId' | 'clientId' | 'clientSecret';

export interface ConnectionFormState {
  environmentUrl: string;
  tenantId: string;
  clientId: string;
  credential: 'certificate' | 'secret';
  clientSecret: string;
  errors: Partial<Record<FormField, string>>;
}

export type ConnectionFormAction =
  | { type: 'set'; field: FormField; value: string }
  | { type: 'credential'; credential: 'certificate' | 'secret' }
  | { type: 'invalid'; errors: Partial<Record<FormField, string>> }
  | { type: 'clear' };

export const emptyForm = (): ConnectionFormState => ({ environmentUrl: '', tenantId: '', clientId: '', credential: 'certificate', clientSecret: '', errors: {} });

export function connectionFormReducer(state: ConnectionFormState, action: ConnectionFormAction): ConnectionFormState {
  switch (action.type) {
    case 'set': {
      const { [action.field]: _fixed, ...errors } = state.errors;
      return { ...state, [action.field]: action.value, errors };
    }
    case 'credential': {
      const { clientSecret: _gone, ...errors } = state.errors;
      return { ...state, credential: action.credential, errors };
    }
    case 'invalid':
      return { ...state, errors: action.errors };
    case 'clear':
      return emptyForm();
  }
}

const ENVIRONMENT_HINT = 'Enter the environment URL as the Power Platform admin center shows it, such as https://contoso.crm.dynamics.com.';

/** What to send to the Worker, or each field's problem. */
export function formInput(state: ConnectionFormState): { ok: true; input: DataverseConnectionInput } | { ok: false; errors: Partial<Record<FormField, string>> } {
  const errors: Partial<Record<FormField, string>> = {};
  const url = state.environmentUrl.trim();
  if (!url) errors.environmentUrl = ENVIRONMENT_HINT;
  else if (!/^https:\/\/[^/\s]+\/?$/i.test(url)) errors.environmentUrl = `“${url}” is not an environment URL. ${ENVIRONMENT_HINT}`;
  const input: DataverseConnectionInput = {
    environmentUrl: url.replace(/\/$/, ''),
    tenantId: state.tenantId.trim(),
    clientId: state.clientId.trim(),
    ...(state.credential === 'secret' ? { clientSecret: state.clientSecret } : {}),
  };
  if (state.credential === 'secret' && !state.clientSecret) errors.clientSecret = 'Paste the client secret’s Value (from Certificates & secrets → Client secrets), or choose a certificate instead.';
  const parsed = DataverseConnectionInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as FormField;
      if (field === 'tenantId' || field === 'clientId') errors[field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1) + '.';
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, input };
}
