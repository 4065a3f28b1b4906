/**
 * A Bulk API 2.0 results locator Salesforce refuses: the error code of an expired locator is not documented, so any
 * 400 or 404 on a locator Forcebridge sent starts the job again from the committed stamp, losing nothing.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type SyncLimits, syncConnector } from '../src/sync/run-connector';
import { control, freshOrgAndTenants } from './emulator';
import { clearLease, connectedConnector, expectDestinationEqualsSalesforce } from './sync-fixtures';

beforeEach(freshOrgAndTenants);
afterEach(() => control('DELETE', '/faults'));

const JOB = 'POST /services/data/vXX.X/jobs/query';
const REST_PAGE = 2000;
const limits = { bulkThreshold: 100, bulkPageSize: 200 } satisfies Partial<SyncLimits>;

it('restarts the job when Salesforce answers 400 with an unfamiliar code for a locator it issued', async () => {
  await control('POST', '/seed', { accounts: 20, contacts: 3199 });
  const { tenant, connectorId } = await connectedConnector({ tables: ['contact'] });
  await control('DELETE', '/calls');
  const first = await syncConnector(env, connectorId, { limits: { ...limits, maxRecords: REST_PAGE + 400 } });
  expect(first.tables[0]).toMatchObject({ status: 'partial', read: REST_PAGE + 400 });
  const refused = [{ errorCode: 'INVALID_REQUEST', message: 'The locator is not valid for this job' }];
  await control('POST', '/faults', { kind: 'error', path: '/results$', status: 400, body: refused, times: 1 });

  for (let i = 0; i < 20; i++) {
    await clearLease();
    const outcome = await syncConnector(env, connectorId, { limits, continuing: true });
    expect(outcome.tables.every((t) => t.status !== 'failed')).toBe(true);
    if (!outcome.more) break;
  }
  expect((await control<Record<string, number>>('GET', '/calls'))[JOB]).toBe(2);
  await expectDestinationEqualsSalesforce(tenant.id, ['contact']);
});
