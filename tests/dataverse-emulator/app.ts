/**
 * The emulator's Hono app: Entra's token endpoint (`/{tenant}/oauth2/v2.0/token`), the Dataverse Web API
 * (`/api/data/v9.x/…`) and, apart from them, the control API under `/__emulator`. Fault injection and call counting
 * wrap only the Entra and Dataverse surfaces. Anything unexpected is logged and answered as Dataverse's 500.
 */
import { Hono } from 'hono';
import { controlRoutes } from './control/routes';
import type { DataverseEmulator } from './emulator';
import { tokenRoutes } from './entra/token';
import { segmentNotFound, unexpected } from './errors';
import { faultMiddleware } from './faults';
import type { AppEnv } from './http';
import { webApiHandler } from './webapi/routes';

export function createApp(emulator: DataverseEmulator): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.route('/__emulator', controlRoutes(emulator));

  const faults = faultMiddleware(emulator.faults);
  app.use('*', async function dataverseSurface(c, next) {
    if (c.req.path.startsWith('/__emulator')) return next();
    emulator.metrics.record(c.req.method, c.req.path);
    await faults(c, next);
  });

  app.all('/api/data/*', webApiHandler(emulator));
  app.route('/', tokenRoutes(emulator));

  const json = { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' };
  app.notFound((c) => c.body(JSON.stringify(segmentNotFound(c.req.path.split('/').filter(Boolean)[0] ?? '').body()), 404, json));
  app.onError(function handleError(error, c) {
    console.error(`dataverse-emulator: unhandled error on ${c.req.method} ${c.req.path}`, error);
    return c.body(JSON.stringify(unexpected().body()), 500, json);
  });
  return app;
}
