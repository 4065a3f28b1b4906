/** Background handlers for agent access: the panel's "Agent access" section and the popup's line about it. */
import { z } from 'zod';
import { AgentAccessSchema, AgentCredentialSchema, CreatedAgentCredentialSchema } from '../../../shared/agent-api';
import type { BackgroundApi } from '../../utils/messages';
import { settingsItem } from '../../utils/settings';
import { callWorker, unwrap } from '../../utils/worker-client';

async function worker<T extends z.ZodType>(path: string, schema: T, method = 'GET', body?: unknown): Promise<z.output<T>> {
  return unwrap(await callWorker(await settingsItem.getValue(), path, schema, { method, body: body === undefined ? undefined : JSON.stringify(body) }));
}

export const getAgentAccess = () => worker('/api/agent-access', AgentAccessSchema);

export function agentAccessCommand(payload: BackgroundApi['agentAccessCommand']['payload']) {
  switch (payload.command) {
    case 'create':
      return worker('/api/agent-credentials', CreatedAgentCredentialSchema, 'POST', { name: payload.name });
    case 'revoke':
      return worker(`/api/agent-credentials/${encodeURIComponent(payload.id)}`, AgentCredentialSchema, 'DELETE');
    case 'live_tools':
      return worker(`/api/agent-access/live-tools/${encodeURIComponent(payload.connectionId)}`, z.object({ connectionId: z.string(), enabled: z.boolean() }), 'PUT', {
        enabled: payload.enabled,
      });
  }
}
