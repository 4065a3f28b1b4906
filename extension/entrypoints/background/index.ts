/**
 * The background script: the only part of the extension that talks to the Worker and reads the Salesforce session
 * cookie. Pages and the content script ask it through the typed protocol in utils/messages.
 */
import { type Browser, browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { type BackgroundApi, type BackgroundRequest, ProblemError, type Result } from '../../utils/messages';
import { settingsItem } from '../../utils/settings';
import { readWorkerStatus } from '../../utils/worker-client';
import { agentAccessCommand, getAgentAccess } from './agent-access';
import { connectionAction, listConnections, verifyConnection } from './connections';
import { checkFilter, connectorCommand, connectorFields, connectorRejects, connectorRuns, createConnector, estimateFirstSync, getConnector, listConnectors, previewConnector, retryRejects, updateConnector } from './connectors';
import { dataverseAccess, dataverseCommand, dataverseTeams, listDataverseConnections } from './dataverse';

type Handlers = {
  [K in keyof BackgroundApi]: (payload: BackgroundApi[K]['payload'], sender: Browser.runtime.MessageSender) => Promise<BackgroundApi[K]['answer']>;
};

const handlers: Handlers = {
  getWorkerStatus: async () => readWorkerStatus(await settingsItem.getValue()),
  // Content scripts cannot open the options page themselves.
  openOptions: async () => {
    await browser.runtime.openOptionsPage();
    return null;
  },
  testSettings: async (settings) => readWorkerStatus(settings),
  listConnections,
  connectionAction,
  verifyConnection,
  listConnectors,
  getConnector,
  connectorFields,
  estimateFirstSync,
  createConnector,
  previewConnector,
  updateConnector,
  connectorCommand,
  connectorRuns,
  checkFilter,
  connectorRejects,
  retryRejects,
  getAgentAccess,
  agentAccessCommand,
  listDataverseConnections,
  dataverseCommand,
  dataverseTeams,
  dataverseAccess,
};

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    // Only our own pages and content scripts may ask; web pages cannot reach runtime.onMessage, other extensions can.
    if (sender.id !== browser.runtime.id || !isRequest(message)) return undefined;
    return answer(message, sender);
  });
});

async function answer(request: BackgroundRequest, sender: Browser.runtime.MessageSender): Promise<Result<unknown>> {
  try {
    const handler = handlers[request.type] as (payload: unknown, sender: Browser.runtime.MessageSender) => Promise<unknown>;
    return { ok: true, data: await handler(request.payload, sender) };
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, error: { code: error.code, message: error.message } };
    console.error(`background: ${request.type} failed`, error);
    return { ok: false, error: { code: 'extension_error', message: `The extension failed while handling ${request.type}: ${String(error)}` } };
  }
}

function isRequest(message: unknown): message is BackgroundRequest {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' && (message as { type: string }).type in handlers;
}
