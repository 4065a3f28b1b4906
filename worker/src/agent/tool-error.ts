/**
 * The error a tool answers with when the agent asked for something it cannot have (an unmapped column, a stale
 * cursor, a live query outside the permission set). It becomes an MCP tool result with `isError`, whose message says
 * what to change; anything else thrown in a tool is a bug, logged, and answered without details.
 */
export class AgentToolError extends Error {
  override readonly name = 'AgentToolError';
}
