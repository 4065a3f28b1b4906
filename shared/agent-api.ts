/**
 * Request and response shapes of agent access (`/api/agent-credentials`, `/api/agent-access`), shared by the Worker
 * and the extension's "Agent access" section.
 */
import { z } from 'zod';

export const AgentCredentialInputSchema = z
  .object({ name: z.string().trim().min(1, 'Give the credential a name (e.g. the agent it is for).').max(80, 'Keep the name to 80 characters.') })
  .strict();

export const AgentCredentialSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type AgentCredential = z.infer<typeof AgentCredentialSchema>;

/** The answer to creating one: the key is in it this once and never again. */
export const CreatedAgentCredentialSchema = AgentCredentialSchema.extend({ key: z.string() });
export type CreatedAgentCredential = z.infer<typeof CreatedAgentCredentialSchema>;

export const AgentCallSchema = z.object({
  calledAt: z.string(),
  credentialId: z.string(),
  credentialName: z.string().nullable(),
  tool: z.string(),
  arguments: z.string(),
  outcome: z.enum(['ok', 'error', 'rate_limited']),
  errorMessage: z.string().nullable(),
  rowsReturned: z.number(),
  durationMs: z.number(),
  salesforceApiCalls: z.number(),
});
export type AgentCall = z.infer<typeof AgentCallSchema>;

export const AgentAccessSchema = z.object({
  /** on when at least one credential is not revoked */
  enabled: z.boolean(),
  mcpUrl: z.string(),
  tokenUrl: z.string(),
  lastUsedAt: z.string().nullable(),
  credentials: z.array(AgentCredentialSchema),
  liveTools: z.array(z.object({ connectionId: z.string(), instanceUrl: z.string(), enabled: z.boolean() })),
  recentCalls: z.array(AgentCallSchema),
});
export type AgentAccess = z.infer<typeof AgentAccessSchema>;

export const LiveToolsInputSchema = z.object({ enabled: z.boolean() }).strict();
