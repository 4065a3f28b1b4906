import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPECTED_MIGRATION } from '../worker/src/db/schema-version';

describe('worker/migrations', () => {
  const files = readdirSync(new URL('../worker/migrations', import.meta.url)).filter((f) => f.endsWith('.sql')).sort();

  it('are numbered NNNN_verb_noun.sql without gaps', () => {
    files.forEach((file, index) => expect(file).toMatch(new RegExp(`^${String(index + 1).padStart(4, '0')}_[a-z]+(_[a-z0-9]+)+\\.sql$`)));
  });

  it('end at the migration the Worker expects', () => expect(files.at(-1)).toBe(EXPECTED_MIGRATION));
});
