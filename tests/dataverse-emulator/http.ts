/**
 * What the HTTP layers share: the Hono environment (Node bindings for dropping connections) and the origin a client
 * called (so ids and links point back where it can reach them).
 */
import type { HttpBindings } from '@hono/node-server';

export type AppEnv = { Bindings: Partial<HttpBindings> };

export { baseUrl } from '../salesforce-emulator/http';
