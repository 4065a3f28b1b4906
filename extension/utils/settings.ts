/**
 * The extension's settings: where the Worker is and the tenant API key. Stored in `local` (not `sync`) so the key
 * stays on this machine. Only the background script and the options page read them.
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';

export const SettingsSchema = z.object({
  workerUrl: z
    .string()
    .trim()
    .refine(isHttpUrl, 'must be a URL such as https://forcebridge.example.workers.dev (or http://localhost:8787 for a local Worker)')
    .transform((value) => value.replace(/\/+$/, '')),
  apiKey: z.string().trim().min(1, 'is required: whoever runs your Forcebridge service creates one for your team (npm run tenant -- create "Your team")'),
  /** Consumer key of a client app for the OAuth sign-in alternative (optional). */
  oauthClientId: z.string().trim().default(''),
});
export type Settings = z.infer<typeof SettingsSchema>;

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

export const DEFAULT_SETTINGS: Settings = { workerUrl: 'http://localhost:8787', apiKey: '', oauthClientId: '' };

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  migrations: {
    // v2 added the optional client id for the OAuth sign-in alternative.
    2: (old: Omit<Settings, 'oauthClientId'>): Settings => ({ ...old, oauthClientId: '' }),
  },
});
