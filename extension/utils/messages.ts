/**
 * The typed message protocol between the extension's pages/content script and the background script, which is
 * the only part that talks to the Worker. Every answer is a `Result`, so callers always get a message to show.
 */
import { browser } from 'wxt/browser';
import type { AgentAccess, AgentCredential, CreatedAgentCredential } from '../../shared/agent-api';
import type { Connection, Connector, ConnectorDestination, ConnectorInput, ConnectorPermissions, ConnectorPreview, Estimate, FieldsResponse, FilterCheck, Health, Reject, RejectsRetry, SyncRun, Tenant } from '../../shared/api';
import type { DataverseAccessCheck, DataverseConnection, DataverseConnectionInput, DataverseTeam } from '../../shared/dataverse';
import type { DestinationTable } from '../../shared/mapping/destination';
import type { Settings } from './settings';

export interface Problem {
  code: string;
  message: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: Problem };

/** What the popup, panel and options page show about the Worker. */
export interface WorkerStatus {
  workerUrl: string;
  health: Health | null;
  tenant: Tenant | null;
  problem: Problem | null;
}

/** Each request the background answers, with its payload and its answer. */
export interface BackgroundApi {
  getWorkerStatus: { payload: undefined; answer: WorkerStatus };
  openOptions: { payload: undefined; answer: null };
  testSettings: { payload: Settings; answer: WorkerStatus };
  /** The tenant's connections; from the panel, only the org of the page it is on. */
  listConnections: { payload: undefined; answer: Connection[] };
  /**
   * Acts on the connection of the org the sending Setup page belongs to, with the admin's Salesforce session
   * (or, with `signIn`, an OAuth sign-in). The org is taken from the sender, never from the payload.
   */
  connectionAction: { payload: { action: ConnectionActionName; connectionId?: string; signIn?: boolean }; answer: Connection };
  verifyConnection: { payload: { connectionId: string }; answer: Connection };
  /** The tenant's connectors; from the panel, only those of the page's org. */
  listConnectors: { payload: undefined; answer: Connector[] };
  getConnector: { payload: { id: string }; answer: Connector };
  connectorFields: { payload: { connectionId: string; table: DestinationTable }; answer: FieldsResponse };
  estimateFirstSync: { payload: { connectionId: string; tables: DestinationTable[] }; answer: Estimate };
  createConnector: { payload: ConnectorInput; answer: Connector };
  /** what creating would do and whether the connection's permissions cover it; nothing is stored */
  previewConnector: { payload: ConnectorInput; answer: ConnectorPreview };
  updateConnector: { payload: { id: string; patch: ConnectorPatch; dryRun: boolean }; answer: { effects: string[]; permissions: ConnectorPermissions; connector: Connector } };
  /** activate, deactivate, sync now, reconcile now, reset a table's mapping, or delete (answers null) */
  connectorCommand: { payload: { id: string; command: 'activate' | 'deactivate' | 'sync' | 'reconcile' | 'reset' | 'delete'; table?: DestinationTable }; answer: Connector | null };
  connectorRuns: { payload: { id: string }; answer: SyncRun[] };
  connectorRejects: { payload: { id: string }; answer: Reject[] };
  /** read the connector's rejected records again and write those that convert now */
  retryRejects: { payload: { id: string }; answer: RejectsRetry };
  /** A row filter checked by the Worker, with how many records match it now. */
  checkFilter: { payload: { connectionId: string; table: DestinationTable; filter: string }; answer: FilterCheck };
  /** Agent access (MCP): endpoint, credentials, live-tools switches, recent calls; and acting on them. */
  getAgentAccess: { payload: undefined; answer: AgentAccess };
  agentAccessCommand: {
    payload: { command: 'create'; name: string } | { command: 'revoke'; id: string } | { command: 'live_tools'; connectionId: string; enabled: boolean };
    answer: CreatedAgentCredential | AgentCredential | { connectionId: string; enabled: boolean };
  };
  /** The tenant's Dataverse connections (destinations a connector may write to). */
  listDataverseConnections: { payload: undefined; answer: DataverseConnection[] };
  /** Add one (with a secret, or without: the Worker makes a certificate), test it, or remove it (answers null). */
  dataverseCommand: {
    payload: { command: 'create'; input: DataverseConnectionInput } | { command: 'test'; id: string } | { command: 'delete'; id: string };
    answer: DataverseConnection | null;
  };
  dataverseTeams: { payload: { connectionId: string }; answer: DataverseTeam[] };
  /** Can the connection's application user write contacts and accounts owned by that team? */
  dataverseAccess: { payload: { connectionId: string; teamId: string }; answer: DataverseAccessCheck };
}

export interface ConnectorPatch {
  name?: string;
  tables?: { table: DestinationTable; mapping?: Record<string, string>; filter?: string | null }[];
  team?: string;
  intervalMinutes?: number;
  deleteMode?: 'hard' | 'soft';
  budgetThreshold?: number;
  destination?: ConnectorDestination;
  reconcileEveryDays?: number;
  formulaRefreshHours?: number;
}

export type ConnectionActionName = 'turn_on' | 'advance' | 'turn_off' | 'reconnect' | 'update_permissions';

/** A failure with a message for the admin; handlers throw it and the caller gets `{ ok: false, error }`. */
export class ProblemError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type BackgroundRequest = {
  [K in keyof BackgroundApi]: { type: K; payload: BackgroundApi[K]['payload'] };
}[keyof BackgroundApi];

export async function askBackground<K extends keyof BackgroundApi>(
  type: K,
  ...payload: BackgroundApi[K]['payload'] extends undefined ? [] : [BackgroundApi[K]['payload']]
): Promise<Result<BackgroundApi[K]['answer']>> {
  try {
    const answer = (await browser.runtime.sendMessage({ type, payload: payload[0] })) as Result<BackgroundApi[K]['answer']> | undefined;
    return answer ?? { ok: false, error: { code: 'extension_error', message: 'The extension background did not answer. Reload the extension and try again.' } };
  } catch (error) {
    return {
      ok: false,
      error: { code: 'extension_error', message: `Could not reach the extension background (${String(error)}). Reload the page and try again.` },
    };
  }
}
