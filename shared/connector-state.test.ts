import { describe, expect, it } from 'vitest';
import { type ConnectorFacts, connectorStateOf } from './connector-state';

const run = (status: 'running' | 'succeeded' | 'partial' | 'rate_limited' | 'failed', rejected = 0) => ({ status, rejected });
const facts = (tables: Partial<ConnectorFacts['tables'][number]>[], extra: Partial<ConnectorFacts> = {}): ConnectorFacts => ({
  active: true,
  permissions: { covered: true, missing: [] },
  tables: tables.map((t, i) => ({ table: i === 0 ? 'contact' : 'account', enabled: true, phase: 'incremental', loaded: 0, total: null, lastRun: run('succeeded'), ...t })),
  ...extra,
});

describe('connectorStateOf', () => {
  it('is Active when every table is up to date', () => {
    expect(connectorStateOf(facts([{}, {}])).code).toBe('active');
  });
  it('is Inactive first, whatever the runs say', () => {
    expect(connectorStateOf(facts([{ lastRun: run('failed') }], { active: false })).code).toBe('inactive');
  });
  it('puts a failed run before everything else an active connector can be', () => {
    expect(connectorStateOf(facts([{ lastRun: run('failed') }, { phase: 'initial', lastRun: run('partial') }])).code).toBe('error');
  });
  it('needs attention when the permission set does not cover the mapping', () => {
    const state = connectorStateOf(facts([{}], { permissions: { covered: false, missing: ['Contact.Fax'] } }));
    expect(state).toMatchObject({ code: 'needs_attention', detail: 'The connection cannot read Contact.Fax.' });
  });
  it('says First load with the progress while rows are left to load', () => {
    const state = connectorStateOf(facts([{ phase: 'initial', loaded: 2000, total: 30000, lastRun: run('partial') }]));
    expect(state).toMatchObject({ code: 'first_load', detail: 'Copying the existing records: 2,000 of 30,000.' });
  });
  it('is not Syncing between scheduled runs: only while a run is going on', () => {
    expect(connectorStateOf(facts([{ lastRun: run('succeeded') }])).label).toBe('Active');
    expect(connectorStateOf(facts([{ lastRun: run('running') }])).label).toBe('Syncing');
  });
  it('says so when the last run rejected records, instead of a green Active', () => {
    const state = connectorStateOf(facts([{ lastRun: run('succeeded', 1) }, { lastRun: run('succeeded', 2) }]));
    expect(state).toMatchObject({ code: 'rejects', tone: 'warning', detail: 'The last run could not write 3 records; see Rejected records.' });
  });
  it('is Paused while the API budget holds the sync', () => {
    expect(connectorStateOf(facts([{ lastRun: run('rate_limited') }])).code).toBe('paused');
  });
});
