/**
 * Loads the recorded Salesforce payloads kept in `recordings/` (copied from the shared reference set; licences in
 * `recordings/LICENSES/` and, for CumulusCI, `recordings/CumulusCI.BSD-3-Clause.txt`). The emulator serves the real
 * describes from them and the contract tests compare its answers with them, so both read the same files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('./recordings/', import.meta.url);
const cache = new Map<string, unknown>();

/** Parsed JSON of `recordings/<path>`, read once. Callers must not mutate it: clone before changing. */
export function recordedJson<T = unknown>(path: string): T {
  let value = cache.get(path);
  if (value === undefined) {
    value = JSON.parse(readFileSync(fileURLToPath(new URL(path, ROOT)), 'utf8'));
    cache.set(path, value);
  }
  return value as T;
}

export function recordedText(path: string): string {
  return readFileSync(fileURLToPath(new URL(path, ROOT)), 'utf8');
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
