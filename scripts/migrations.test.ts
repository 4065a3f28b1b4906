import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPECTED_MIGRATION } from '../worker/src/db/schema-version';

const DIR = new URL('../worker/migrations/', import.meta.url);
const HOW_TO_ADD =
  'A landed migration is never edited (a D1 that applied it would never see the change): put the change in a new migration. ' +
  'When you add a migration, add its line to worker/migrations/checksums.json: "NNNN_verb_noun.sql": "<sha256sum of the file>".';

describe('worker/migrations', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort();
  const checksums: Record<string, string> = JSON.parse(readFileSync(new URL('checksums.json', DIR), 'utf8'));

  it('are numbered NNNN_verb_noun.sql without gaps', () => {
    files.forEach((file, index) => expect(file).toMatch(new RegExp(`^${String(index + 1).padStart(4, '0')}_[a-z]+(_[a-z0-9]+)+\\.sql$`)));
  });

  it('end at the migration the Worker expects', () => expect(files.at(-1)).toBe(EXPECTED_MIGRATION));

  it('each have a recorded checksum', () => expect(files.filter((f) => !checksums[f]), HOW_TO_ADD).toEqual([]));

  it.each(files)('%s is unchanged since it landed', (file) => {
    const sha256 = createHash('sha256').update(readFileSync(new URL(file, DIR))).digest('hex');
    expect(sha256, `${file} changed after it landed. ${HOW_TO_ADD}`).toBe(checksums[file]);
  });
});
