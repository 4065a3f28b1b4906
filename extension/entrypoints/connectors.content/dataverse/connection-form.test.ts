import { describe, expect, it } from 'vitest';
import { connectionFormReducer, emptyForm, formInput } from './connection-form';

const TENANT = '8d3c7c1e-5d6f-4b0a-9a43-2b5c3a1f0e11';
const CLIENT = '51f81489-12ee-4a9e-aaae-a2591f45987d';

const filled = (credential: 'certificate' | 'secret', secret = '') =>
  [
    { type: 'set', field: 'environmentUrl', value: ' https://contoso.crm4.dynamics.com/ ' },
    { type: 'set', field: 'tenantId', value: TENANT },
    { type: 'set', field: 'clientId', value: CLIENT },
    { type: 'credential', credential },
    { type: 'set', field: 'clientSecret', value: secret },
  ].reduce((s, a) => connectionFormReducer(s, a as never), emptyForm());

describe('the Add environment form', () => {
  it('starts with the certificate, which sends no secret: the Worker makes the key pair', () => {
    expect(emptyForm().credential).toBe('certificate');
    expect(formInput(filled('certificate', 'left over'))).toEqual({ ok: true, input: { environmentUrl: 'https://contoso.crm4.dynamics.com', tenantId: TENANT, clientId: CLIENT } });
  });

  it('sends the secret when a secret is chosen, and asks for one when it is empty', () => {
    expect(formInput(filled('secret', 's3cr3t~value'))).toMatchObject({ ok: true, input: { clientSecret: 's3cr3t~value' } });
    const missing = formInput(filled('secret'));
    expect(missing).toEqual({ ok: false, errors: { clientSecret: expect.stringMatching(/^Paste the client secret’s Value/) } });
  });

  it('says what to enter for each wrong field', () => {
    let state = connectionFormReducer(emptyForm(), { type: 'set', field: 'environmentUrl', value: 'contoso.crm.dynamics.com/main.aspx' });
    state = connectionFormReducer(state, { type: 'set', field: 'clientId', value: 'my app' });
    const result = formInput(state);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.environmentUrl).toBe('“contoso.crm.dynamics.com/main.aspx” is not an environment URL. Enter the environment URL as the Power Platform admin center shows it, such as https://contoso.crm.dynamics.com.');
    expect(result.errors.tenantId).toMatch(/^The Directory \(tenant\) ID from the app registration/);
    expect(result.errors.clientId).toMatch(/^The Application \(client\) ID from the app registration, a GUID\.$/);
  });

  it('clears a field’s problem as it is corrected, and the secret’s when the certificate is chosen', () => {
    let state = connectionFormReducer(emptyForm(), { type: 'invalid', errors: { clientId: 'x', clientSecret: 'y', tenantId: 'z' } });
    state = connectionFormReducer(state, { type: 'set', field: 'clientId', value: CLIENT });
    state = connectionFormReducer(state, { type: 'credential', credential: 'certificate' });
    expect(state.errors).toEqual({ tenantId: 'z' });
  });
});
