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
    .url('must be a URL such as https://forcebridge.example.workers.dev')
    .refine((value) => /^https?:$/.test(new URL(value).protocol), 'must start with https:// (or http:// for a local Worker)')
    .transform((value) => value.replace(/\/+$/, '')),
  apiKey: z.string().trim().min(1, 'is required: create one with `npm run tenant -- create "Your team"`'),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = { workerUrl: 'http://localhost:8787', apiKey: '' };

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});
