/**
 * `npx tsx tests/dataverse-emulator/bench-volume.ts [contacts]`: pushes accounts and contacts (default 100,000, one
 * account per ten contacts) through the emulator as `$batch` upserts of 1,000 (change sets of 100), then reads them
 * back in pages of 5,000, and prints the time each took and the heap used, so the README's volume figures can be
 * checked on any machine.
 */
import { randomUUID } from 'node:crypto';
import { startDataverseEmulator } from './server';
import { tokenFor } from './test-support';

const contacts = Number(process.argv[2] ?? 100_000);
const accounts = Math.ceil(contacts / 10);
const emulator = await startDataverseEmulator();
const token = await tokenFor(emulator);
const CRLF = '\r\n';

function batchBody(requests: { url: string; body: unknown }[]): string {
  const sets: string[] = [];
  for (let i = 0; i < requests.length; i += 100) {
    const parts = requests.slice(i, i + 100).map((r, n) =>
      ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${n + 1}`, '', `PATCH ${r.url} HTTP/1.1`, 'Content-Type: application/json', '', JSON.stringify(r.body)].join(CRLF),
    );
    sets.push(`Content-Type: multipart/mixed; boundary=cs${CRLF}${CRLF}${parts.map((p) => `--cs${CRLF}${p}${CRLF}`).join('')}--cs--`);
  }
  return `${sets.map((s) => `--b${CRLF}${s}${CRLF}`).join('')}--b--${CRLF}`;
}

async function send(requests: { url: string; body: unknown }[]) {
  const response = await fetch(`${emulator.url}/api/data/v9.2/$batch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'multipart/mixed; boundary=b' },
    body: batchBody(requests),
  });
  const text = await response.text();
  if (response.status !== 200 || text.includes('HTTP/1.1 4')) throw new Error(`Batch failed: ${response.status} ${text.slice(0, 500)}`);
}

const accountIds = Array.from({ length: accounts }, () => randomUUID());
const team = emulator.control.teams().find((t) => t.values.name === 'Sales')!.id;
const started = performance.now();
for (let i = 0; i < accounts; i += 1000) {
  await send(accountIds.slice(i, i + 1000).map((id, n) => ({ url: `/api/data/v9.2/accounts(${id})`, body: { name: `Account ${i + n}`, 'ownerid@odata.bind': `/teams(${team})` } })));
}
for (let i = 0; i < contacts; i += 1000) {
  const page = Array.from({ length: Math.min(1000, contacts - i) }, (_, n) => ({
    url: `/api/data/v9.2/contacts(${randomUUID()})`,
    body: { firstname: 'Ada', lastname: `Lovelace ${i + n}`, emailaddress1: `ada.${i + n}@example.com`, 'parentcustomerid_account@odata.bind': `/accounts(${accountIds[(i + n) % accounts]})`, 'ownerid@odata.bind': `/teams(${team})` },
  }));
  await send(page);
}
const written = performance.now() - started;
global.gc?.();
const heapAfterWrite = process.memoryUsage().heapUsed;

const readStarted = performance.now();
let read = 0;
let next: string | undefined = `${emulator.url}/api/data/v9.2/contacts?$select=fullname,_parentcustomerid_value`;
while (next) {
  const response = await fetch(next, { headers: { Authorization: `Bearer ${token}`, Prefer: 'odata.maxpagesize=5000' } });
  const page = (await response.json()) as { value: unknown[]; '@odata.nextLink'?: string };
  read += page.value.length;
  next = page['@odata.nextLink'];
}
const readMs = performance.now() - readStarted;
const calls = emulator.control.calls();
console.log(
  JSON.stringify(
    {
      accounts,
      contacts,
      writeSeconds: +(written / 1000).toFixed(1),
      rowsPerSecond: Math.round((accounts + contacts) / (written / 1000)),
      batchRequests: calls.requests['POST /api/data/v9.x/$batch'],
      readSeconds: +(readMs / 1000).toFixed(1),
      rowsRead: read,
      heapMB: Math.round(heapAfterWrite / 1024 / 1024),
    },
    null,
    2,
  ),
);
await emulator.close();
