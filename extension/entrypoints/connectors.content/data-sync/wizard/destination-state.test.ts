import { describe, expect, it } from 'vitest';
import type { DataverseTeam } from '../../../../../shared/dataverse';
import { visibleTeams } from './destination-state';
import { type WizardState, initialState, patchOf, wizardReducer } from './wizard-state';

const SALES: DataverseTeam = { id: '0f3a1c2e-0000-4000-8000-000000000001', name: 'Sales', teamType: 'owner', businessUnitId: 'b1', businessUnitName: 'acme' };
const SUPPORT: DataverseTeam = { id: '0f3a1c2e-0000-4000-8000-000000000002', name: 'Support (access team)', teamType: 'access', businessUnitId: 'b1', businessUnitName: 'acme' };
const EMEA: DataverseTeam = { id: '0f3a1c2e-0000-4000-8000-000000000003', name: 'Field sales', teamType: 'owner', businessUnitId: 'b2', businessUnitName: 'EMEA' };

const atSchedule = (): WizardState => ({ ...initialState(), step: 'schedule' });
const run = (state: WizardState, ...actions: Parameters<typeof wizardReducer>[1][]) => actions.reduce(wizardReducer, state);

describe('the wizard’s destination', () => {
  it('is D1 unless Dataverse is chosen, and D1 still asks for a team name', () => {
    const state = run(atSchedule(), { type: 'next' });
    expect(state.problem).toBe('Name the team that owns the rows Forcebridge writes.');
    expect(patchOf(run(state, { type: 'set', patch: { team: 'Sales' } })).destination).toEqual({ kind: 'd1' });
  });

  it('writes to Dataverse only once a team is picked and its privilege check passed', () => {
    let state = run(atSchedule(), { type: 'destination', kind: 'dataverse', connectionId: 'dv1' }, { type: 'next' });
    expect(state).toMatchObject({ step: 'schedule', problem: 'Pick the Dataverse team that will own the rows Forcebridge writes.' });
    state = run(state, { type: 'teamsLoaded', connectionId: 'dv1', teams: [SALES, SUPPORT] }, { type: 'pickTeam', team: SALES }, { type: 'next' });
    expect(state.problem).toBe('Wait for the privilege check of the team to finish.');
    state = run(state, { type: 'accessChecked', teamId: SALES.id, access: { ok: true, missing: [], message: 'ok' } }, { type: 'next' });
    expect(state.step).toBe('review');
    expect(patchOf(state)).toMatchObject({ team: 'Sales', destination: { kind: 'dataverse', dataverseConnectionId: 'dv1', teamId: SALES.id } });
    // Keys in the schema's order, so an unchanged destination is not a change to the Worker.
    expect(Object.keys(patchOf(state).destination)).toEqual(['kind', 'dataverseConnectionId', 'teamId']);
  });

  it('stops at the missing privilege, in the Worker’s words', () => {
    const message = 'The application user lacks prvAssignContact. Give it a security role with …';
    const state = run(
      atSchedule(),
      { type: 'destination', kind: 'dataverse', connectionId: 'dv1' },
      { type: 'teamsLoaded', connectionId: 'dv1', teams: [SALES] },
      { type: 'pickTeam', team: SALES },
      { type: 'accessChecked', teamId: SALES.id, access: { ok: false, missing: ['prvAssignContact'], message } },
      { type: 'next' },
    );
    expect(state).toMatchObject({ step: 'schedule', problem: message });
    // Fixed in the environment, checked again: the old answer no longer stands.
    expect(run(state, { type: 'recheckAccess' }, { type: 'next' }).problem).toBe('Wait for the privilege check of the team to finish.');
  });

  it('ignores teams and checks that arrive for an environment or team no longer chosen', () => {
    let state = run(atSchedule(), { type: 'destination', kind: 'dataverse', connectionId: 'dv1' }, { type: 'teamsLoaded', connectionId: 'dv1', teams: [SALES] }, { type: 'pickTeam', team: SALES });
    state = run(state, { type: 'destination', kind: 'dataverse', connectionId: 'dv2' }, { type: 'teamsLoaded', connectionId: 'dv1', teams: [SALES] });
    expect(state.destination).toMatchObject({ connectionId: 'dv2', teamId: '', teams: null });
    state = run(state, { type: 'teamsLoaded', connectionId: 'dv2', teams: [EMEA] }, { type: 'pickTeam', team: EMEA }, { type: 'accessChecked', teamId: SALES.id, access: { ok: true, missing: [], message: 'ok' } });
    expect(state.destination.access).toBeNull();
  });

  it('narrows the team list by name or business unit', () => {
    const state = run(atSchedule(), { type: 'destination', kind: 'dataverse', connectionId: 'dv1' }, { type: 'teamsLoaded', connectionId: 'dv1', teams: [SALES, SUPPORT, EMEA] });
    expect(visibleTeams(run(state, { type: 'teamQuery', query: 'sales' }).destination).map((t) => t.name)).toEqual(['Sales', 'Field sales']);
    expect(visibleTeams(run(state, { type: 'teamQuery', query: ' emea  field ' }).destination).map((t) => t.name)).toEqual(['Field sales']);
  });

  it('opens an edit on the connector’s own Dataverse destination', () => {
    const editing = { id: 'c1', name: 'x', team: 'Sales', intervalMinutes: 15, deleteMode: 'hard', budgetThreshold: 0.2, tables: [], destination: { kind: 'dataverse', dataverseConnectionId: 'dv1', teamId: SALES.id } } as unknown as Parameters<typeof initialState>[0];
    expect(initialState(editing).destination).toMatchObject({ kind: 'dataverse', connectionId: 'dv1', teamId: SALES.id, access: null });
  });
});
