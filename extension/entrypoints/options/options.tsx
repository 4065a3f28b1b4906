/**
 * Options: the Worker URL and tenant API key, validated before saving, with a Test button that checks the values
 * in the form (saved or not) against the Worker. Says when the tested values are not saved yet.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Alert } from '../../components/alert';
import { LearnMore } from '../../components/learn-more';
import { WorkerStatusView } from '../../components/worker-status';
import { type Result, type WorkerStatus, askBackground } from '../../utils/messages';
import { DEFAULT_SETTINGS, type Settings, SettingsSchema, settingsItem } from '../../utils/settings';

type FieldErrors = Partial<Record<keyof Settings, string>>;

export function Options() {
  const [form, setForm] = useState<Settings>(DEFAULT_SETTINGS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const [stored, setStored] = useState<Settings | null>(null);
  const [test, setTest] = useState<'idle' | 'testing' | Result<WorkerStatus>>('idle');
  const origin = new URL(browser.runtime.getURL('/')).origin;

  useEffect(() => {
    void settingsItem.getValue().then((settings) => {
      setForm(settings);
      setStored(settings);
    });
  }, []);
  const dirty = JSON.stringify(form) !== JSON.stringify(stored);

  const validate = (): Settings | undefined => {
    const parsed = SettingsSchema.safeParse(form);
    if (parsed.success) {
      setErrors({});
      return parsed.data;
    }
    const next: FieldErrors = {};
    for (const issue of parsed.error.issues) next[issue.path[0] as keyof Settings] ??= issue.message;
    setErrors(next);
    return undefined;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const settings = validate();
    if (!settings) return;
    await settingsItem.setValue(settings);
    setForm(settings);
    setStored(settings);
    setSaved(true);
  };

  const runTest = async () => {
    const settings = validate();
    if (!settings) return;
    setTest('testing');
    setTest(await askBackground('testSettings', settings));
  };

  const edit = (field: keyof Settings) => (event: Event) => {
    setForm({ ...form, [field]: (event.currentTarget as HTMLInputElement).value });
    setSaved(false);
  };

  // The form appears once the stored values are in it, so nothing typed before they load is overwritten.
  if (!stored) return <main class="fb-options" aria-busy="true" />;

  return (
    <main class="fb-options">
      <h1>Forcebridge options</h1>
      <p class="slds-text-color_weak">
        <LearnMore topic="settings" about="these settings" />
      </p>
      <form onSubmit={save} noValidate>
        <div class="slds-form-element fb-field">
          <label for="worker-url">Worker URL</label>
          <input id="worker-url" class="slds-input" type="url" value={form.workerUrl} onInput={edit('workerUrl')} aria-invalid={!!errors.workerUrl} aria-describedby="worker-url-error" />
          {errors.workerUrl && <span id="worker-url-error" class="slds-form-element__help fb-field-error">Worker URL {errors.workerUrl}.</span>}
        </div>
        <div class="slds-form-element fb-field">
          <label for="api-key">Tenant API key</label>
          <input id="api-key" class="slds-input" type="password" autoComplete="off" value={form.apiKey} onInput={edit('apiKey')} aria-invalid={!!errors.apiKey} aria-describedby="api-key-error" />
          {errors.apiKey && <span id="api-key-error" class="slds-form-element__help fb-field-error">API key {errors.apiKey}.</span>}
        </div>
        <div class="slds-form-element fb-field">
          <label for="oauth-client-id">Sign-in client id (optional)</label>
          <input id="oauth-client-id" class="slds-input" type="text" autoComplete="off" value={form.oauthClientId} onInput={edit('oauthClientId')} aria-describedby="oauth-client-id-help" />
          <span id="oauth-client-id-help" class="slds-text-color_weak">
            Consumer key of a client app for "Sign in with Salesforce", for orgs that refuse API use of the browser session. Its callback URL:{' '}
            <span class="fb-mono">{browser.identity.getRedirectURL('salesforce')}</span>
          </span>
        </div>
        <div class="fb-options__actions">
          <button class="slds-button slds-button_brand" type="submit">Save</button>
          <button class="slds-button slds-button_neutral" type="button" onClick={runTest} disabled={test === 'testing'}>Test</button>
        </div>
      </form>
      {saved && <p class="fb-alert fb-alert--success" role="status" data-testid="saved">Saved.</p>}
      {test === 'testing' && <p class="fb-spinner" role="status">Testing…</p>}
      {typeof test === 'object' && (
        <div data-testid="test-result">
          {/* Test checks what is in the form; say so when that is not what the extension uses yet. */}
          {dirty && <p class="slds-text-color_weak" data-testid="test-unsaved">Tested the values in the form. They are not saved yet: press Save to use them.</p>}
          {test.ok ? <WorkerStatusView status={test.data} /> : <Alert tone="error" message={test.error.message} />}
        </div>
      )}
      <details class="fb-details">
        <summary>If the service refuses this browser</summary>
        <p class="slds-text-color_weak">
          The Forcebridge service accepts requests only from extensions it knows. Give whoever runs it this extension’s address:{' '}
          <span class="fb-mono" data-testid="extension-origin">{origin}</span>
        </p>
      </details>
    </main>
  );
}
