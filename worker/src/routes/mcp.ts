/**
 * `/mcp`: the Streamable HTTP endpoint, stateless (a new server and transport per request, no session id, JSON
 * answers instead of SSE), so it needs no Durable Object. Browser origins other than the Worker's own and the
 * extension's are refused, as the transport spec asks of servers (DNS rebinding):
 * https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { connectAgentMcpServer } from '../agent/mcp-server';
import { type McpEnv, requireAgentCredential } from '../middleware/require-agent-credential';
import { parseAllowedOrigins } from '../middleware/extension-origins';

/** Bigger requests are not a tool call an agent needs; the transport refuses them before parsing. */
const MAX_REQUEST_BYTES = 64 * 1024;

export const mcp = new Hono<McpEnv>()
  .use(async function checkOrigin(c, next) {
    const origin = c.req.header('Origin');
    const own = new URL(c.req.url).origin;
    if (origin && origin !== own && !parseAllowedOrigins(c.env.ALLOWED_ORIGINS).includes(origin)) {
      return c.json({ jsonrpc: '2.0', error: { code: -32000, message: `Requests from the browser origin ${origin} are not allowed on /mcp.` }, id: null }, 403);
    }
    await next();
  })
  .use(requireAgentCredential())
  .all('/', async (c) => {
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: MAX_REQUEST_BYTES });
    const defer = (work: Promise<unknown>) => c.executionCtx.waitUntil(work);
    const { server, audit } = await connectAgentMcpServer(c.env, c.var.agent, transport, defer);
    try {
      const response = await transport.handleRequest(c.req.raw);
      if (response.status === 413) audit.recordUnread(`The request was over ${MAX_REQUEST_BYTES / 1024} KiB, so it was refused unread.`);
      return response;
    } finally {
      c.executionCtx.waitUntil(server.close());
    }
  });
