/**
 * The system under test, brought up the way a user would: the real Worker in workerd (`wrangler dev`, local D1 in a
 * temporary folder, migrated), a tenant made like `npm run tenant`, access turned on through the API with the
 * org admin's session, and a Contact + Account connector created through the API. One stack per volume, so the
 * workerd's peak memory is that volume's. The Worker's isolate is reached through its inspector, for its heap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, ConnectionSchema, type Connector, ConnectorSchema, type SyncRun, SyncRunSchema } from '../../shared/api';
import { createTenantWithKey } from '../../scripts/lib/tenants';
import { applyMigrations, freePort, startLocalWorker, type LocalWorker } from '../../scripts/lib/wrangler';
import { type BenchEmulator, ORG_URL, adminToken } from './emulator';
import { ISOLATE_LIMIT_MB } from './heap-trace';
import { type IsolateInspector, connectIsolateInspector } from './isolate-heap';
import { workerdPids } from './measure';

export interface WorkerStack {
  url: string;
  apiKey: string;
  persistTo: string;
  /** the workerd processes serving this Worker */
  pids(): number[];
  /** the Worker's isolate, through wrangler's inspector proxy */
  inspector: IsolateInspector;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startWorkerStack(emulator: BenchEmulator): Promise<WorkerStack> {
  const persistTo = mkdtempSync(join(tmpdir(), 'forcebridge-bench-d1-'));
  let worker: LocalWorker | undefined;
  try {
    await applyMigrations({ persistTo });
    const tenant = await createTenantWithKey({ persistTo }, 'Bench Team');
    worker = await startLocalWorker({
      port: await freePort(),
      inspectorPort: await freePort(),
      persistTo,
      quiet: true,
      // A deployed isolate may hold 128 MB; with its heap capped the same, V8 collects as it would there (and a load
      // that needed more would fail here too). Miniflare passes these flags to workerd.
      env: { MINIFLARE_WORKERD_V8_FLAGS: `--max-old-space-size=${ISOLATE_LIMIT_MB}` },
      vars: {
        ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
        SALESFORCE_DEV_ORIGINS: `${ORG_URL}=${emulator.url}`,
      },
    });
    const running = worker;
    const inspector = await connectIsolateInspector(running.inspectorUrl!, running.url);
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${tenant.apiKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Worker ${method} ${path} → ${response.status} ${text.slice(0, 500)}`);
      return JSON.parse(text) as T;
    };
    return {
      url: running.url,
      apiKey: tenant.apiKey,
      persistTo,
      pids: () => workerdPids(running.process.pid!),
      inspector,
      api,
      stop: async () => {
        inspector.close();
        await running.stop();
        rmSync(persistTo, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await worker?.stop();
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
}

/** Turn on access as the panel does: POST /api/connections with the admin's session, then `advance` until done. */
export async function turnOnAccess(stack: WorkerStack, emulator: BenchEmulator): Promise<Connection> {
  const session = { instanceUrl: ORG_URL, accessToken: await adminToken(emulator) };
  let connection = ConnectionSchema.parse(await stack.api('POST', '/api/connections', { session }));
  for (let i = 0; i < 20 && !connection.done; i++) {
    connection = ConnectionSchema.parse(await stack.api('POST', `/api/connections/${connection.id}/advance`, { session }));
  }
  if (connection.status !== 'connected') throw new Error(`Turning on access ended ${connection.status}: ${JSON.stringify(connection.lastError)}`);
  return connection;
}

export async function createConnector(stack: WorkerStack, connectionId: string): Promise<Connector> {
  return ConnectorSchema.parse(
    await stack.api('POST', '/api/connectors', { connectionId, name: 'Benchmark', team: 'Sales', tables: [{ table: 'contact' }, { table: 'account' }] }),
  );
}

export const connectorOf = async (stack: WorkerStack, id: string) => ConnectorSchema.parse(await stack.api('GET', `/api/connectors/${id}`));

export const runsOf = async (stack: WorkerStack, id: string, limit = 50): Promise<SyncRun[]> =>
  SyncRunSchema.array().parse(await stack.api('GET', `/api/connectors/${id}/runs?limit=${limit}`));
