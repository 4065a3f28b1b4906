import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, SettingsSchema, settingsItem } from './settings';

describe('SettingsSchema', () => {
  it('accepts a Worker URL and key, trimming a trailing slash', () => {
    expect(SettingsSchema.parse({ workerUrl: ' https://fb.example.workers.dev/ ', apiKey: ' fbk_abc ' })).toEqual({
      workerUrl: 'https://fb.example.workers.dev',
      apiKey: 'fbk_abc',
      oauthClientId: '',
    });
  });

  it('says what is wrong with each field', () => {
    const result = SettingsSchema.safeParse({ workerUrl: 'ftp://x', apiKey: '' });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((issue) => [issue.path[0], issue.message]));
    expect(messages.workerUrl).toMatch(/must be a URL/);
    expect(messages.apiKey).toMatch(/npm run tenant/);
  });
});

describe('settingsItem', () => {
  beforeEach(() => fakeBrowser.reset());

  it('defaults to the local Worker with no key', async () => {
    expect(await settingsItem.getValue()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps what was saved in local storage, not sync', async () => {
    await settingsItem.setValue({ workerUrl: 'https://fb.example.workers.dev', apiKey: 'fbk_abc', oauthClientId: '' });
    expect(await fakeBrowser.storage.local.get('settings')).toMatchObject({
      settings: { workerUrl: 'https://fb.example.workers.dev', apiKey: 'fbk_abc', oauthClientId: '' },
    });
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });
});

describe('settings saved by version 1', () => {
  beforeEach(() => fakeBrowser.reset());

  it('gain an empty sign-in client id', async () => {
    await fakeBrowser.storage.local.set({ settings: { workerUrl: 'https://fb.example.workers.dev', apiKey: 'fbk_abc' }, settings$: { v: 1 } });
    await settingsItem.migrate();
    expect(await settingsItem.getValue()).toEqual({ workerUrl: 'https://fb.example.workers.dev', apiKey: 'fbk_abc', oauthClientId: '' });
  });
});
