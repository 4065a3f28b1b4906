/**
 * Measures seeding at volume: `npx tsx tests/salesforce-emulator/bench-seed.ts [contacts…]` (default 100000 and
 * 1000000, one Account per ten Contacts) prints the seeding time, the memory it took, and how long a COUNT(), a
 * first page and an incremental SystemModstamp window take over HTTP.
 */
import { startEmulator } from './server';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function measure(contacts: number): Promise<void> {
  global.gc?.();
  const before = process.memoryUsage();
  const emulator = await startEmulator({ now: '2026-06-01T00:00:00Z', freezeClock: true });
  const started = performance.now();
  emulator.org.seed({ accounts: Math.ceil(contacts / 10), contacts });
  const seeded = performance.now() - started;
  const after = process.memoryUsage();
  const query = async (soql: string) => {
    const t = performance.now();
    const response = await fetch(`${emulator.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers: { Authorization: `Bearer ${emulator.adminAccessToken}` } });
    const body = (await response.json()) as { totalSize: number };
    return { ms: Math.round(performance.now() - t), totalSize: body.totalSize };
  };
  const count = await query('SELECT COUNT() FROM Contact');
  const page = await query('SELECT Id, FirstName, LastName, Email, Phone, AccountId, SystemModstamp FROM Contact');
  const window = await query('SELECT Id, Email, SystemModstamp FROM Contact WHERE SystemModstamp > 2026-05-31T00:00:00Z ORDER BY SystemModstamp');
  console.log(
    `${contacts.toLocaleString('en')} contacts + ${Math.ceil(contacts / 10).toLocaleString('en')} accounts: seeded in ${seeded.toFixed(0)} ms, ` +
      `heap +${megabytes(after.heapUsed - before.heapUsed)}, array buffers +${megabytes(after.arrayBuffers - before.arrayBuffers)}; ` +
      `COUNT() ${count.ms} ms (${count.totalSize}), first page ${page.ms} ms, 24 h window ${window.ms} ms (${window.totalSize} rows)`,
  );
  await emulator.close();
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const size of sizes.length > 0 ? sizes : [100_000, 1_000_000]) await measure(size);
