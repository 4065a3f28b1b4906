/**
 * Where the connector writes, as the wizard holds it: D1 (the default) or a Dataverse environment, with the team
 * that will own the rows picked from the environment's own teams and checked (can the application user write
 * contacts and accounts owned by it?) before Next. A pure part of the wizard's reducer (wizard-state.ts).
 */
import type { Connector, ConnectorDestination } from '../../../../../shared/api';
import type { DataverseAccessCheck, DataverseTeam } from '../../../../../shared/dataverse';

export interface DestinationState {
  kind: 'd1' | 'dataverse';
  /** the Dataverse connection written to ('' until one is chosen) */
  connectionId: string;
  /** the owning team's id in that environment ('' until one is picked) */
  teamId: string;
  /** the environment's teams, once the Worker listed them for `connectionId` */
  teams: DataverseTeam[] | null;
  /** what the admin typed to narrow the team list */
  query: string;
  /** the privilege check for `teamId`, once the Worker answered */
  access: (DataverseAccessCheck & { teamId: string }) | null;
}

export type DestinationAction =
  | { type: 'destination'; kind: 'd1' }
  | { type: 'destination'; kind: 'dataverse'; connectionId: string }
  | { type: 'teamsLoaded'; connectionId: string; teams: DataverseTeam[] }
  | { type: 'teamQuery'; query: string }
  | { type: 'pickTeam'; team: DataverseTeam }
  | { type: 'accessChecked'; teamId: string; access: DataverseAccessCheck }
  /** the admin fixed the roles in the environment: ask again */
  | { type: 'recheckAccess' };

export const DESTINATION_ACTIONS = new Set<string>(['destination', 'teamsLoaded', 'teamQuery', 'pickTeam', 'accessChecked', 'recheckAccess']);

export function initialDestination(editing?: Connector): DestinationState {
  const d = editing?.destination;
  if (d?.kind === 'dataverse') return { kind: 'dataverse', connectionId: d.dataverseConnectionId, teamId: d.teamId, teams: null, query: '', access: null };
  return { kind: 'd1', connectionId: '', teamId: '', teams: null, query: '', access: null };
}

/** "An access team doesn't own records" (team types: https://learn.microsoft.com/power-platform/admin/manage-teams). */
export const canOwnRows = (team: DataverseTeam) => team.teamType !== 'access';

/** The teams matching what was typed (name or business unit), in the Worker's order. */
export function visibleTeams(state: DestinationState): DataverseTeam[] {
  const words = state.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return (state.teams ?? []).filter((team) => {
    const text = `${team.name} ${team.businessUnitName ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The new destination state, and the team name to store on the connector when a team was picked. */
export function destinationReducer(state: DestinationState, action: DestinationAction): { state: DestinationState; teamName?: string } {
  switch (action.type) {
    case 'destination':
      if (action.kind === 'd1') return { state: { ...state, kind: 'd1' } };
      // Another environment: its teams are other teams.
      if (action.connectionId !== state.connectionId) return { state: { kind: 'dataverse', connectionId: action.connectionId, teamId: '', teams: null, query: '', access: null } };
      return { state: { ...state, kind: 'dataverse' } };
    case 'teamsLoaded':
      return action.connectionId === state.connectionId ? { state: { ...state, teams: action.teams } } : { state };
    case 'teamQuery':
      return { state: { ...state, query: action.query } };
    case 'pickTeam':
      return { state: { ...state, teamId: action.team.id, access: null }, teamName: action.team.name };
    case 'accessChecked':
      return action.teamId === state.teamId ? { state: { ...state, access: { ...action.access, teamId: action.teamId } } } : { state };
    case 'recheckAccess':
      return { state: { ...state, access: null } };
  }
}

/** Why the schedule step cannot go on for this destination, or null. */
export function destinationBlocker(state: DestinationState): string | null {
  if (state.kind === 'd1') return null;
  if (!state.connectionId) return 'Choose the Dataverse environment to write to.';
  if (!state.teamId) return 'Pick the Dataverse team that will own the rows Forcebridge writes.';
  if (!state.access || state.access.teamId !== state.teamId) return 'Wait for the privilege check of the team to finish.';
  if (!state.access.ok) return state.access.message;
  return null;
}

/** What the Worker gets as the connector's `destination` (keys in the schema's order, so an unchanged one compares equal). */
export function destinationInput(state: DestinationState): ConnectorDestination {
  if (state.kind === 'd1') return { kind: 'd1' };
  return { kind: 'dataverse', dataverseConnectionId: state.connectionId, teamId: state.teamId };
}
