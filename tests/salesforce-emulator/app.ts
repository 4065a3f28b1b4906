/**
 * The emulator's Hono app: Salesforce's surfaces (REST under /services/data, Metadata SOAP under /services/Soap/m,
 * OAuth under /services/oauth2, the identity URL, the Setup lookalike under /lightning) and, apart from them, the
 * control API under /__emulator. Fault injection and call counting wrap only the Salesforce side. Errors become
 * Salesforce's bodies; anything unexpected is logged and answered as Salesforce's UNKNOWN_EXCEPTION.
 */
import { Hono } from 'hono';
import { bulk2Routes } from './bulk2/routes';
import { controlRoutes } from './control/routes';
import type { Emulator } from './emulator';
import { errors, SalesforceError } from './errors';
import { faultMiddleware } from './faults';
import { salesforcePath, sfJson, SUBREQUEST_HEADER, type AppEnv } from './http';
import { restDeployRoutes } from './metadata/rest-deploy';
import { soapRoutes } from './metadata/soap';
import { identityRoutes, oauthRoutes } from './oauth/routes';
import { limitInfo, restAuth } from './rest/auth';
import { compositeRoutes } from './rest/composite';
import { queryRoutes } from './rest/query';
import { sobjectRoutes } from './rest/sobjects';
import { limitsRoutes, versionResources, versionsRoute } from './rest/versions';
import { setupPageRoutes } from './setup-page/routes';

export function createApp(emulator: Emulator): Hono<AppEnv> {
  // Routes by Salesforce's reading of a path: repeated and trailing slashes do not matter (http.ts).
  const app = new Hono<AppEnv>({ getPath: salesforcePath });
  const internal = (c: { req: { header(name: string): string | undefined } }) => c.req.header(SUBREQUEST_HEADER) === emulator.internalSecret;

  app.route('/__emulator', controlRoutes(emulator));

  const faults = faultMiddleware(() => emulator.faults);
  const subrequestFaults = faultMiddleware(() => emulator.faults, true);
  app.use('*', async function salesforceSurface(c, next) {
    if (c.req.path.startsWith('/__emulator')) return next();
    if (internal(c)) return subrequestFaults(c, next);
    emulator.metrics.record(c.req.method, c.req.path);
    await faults(c, next);
  });

  app.route('/services/oauth2', oauthRoutes(emulator));
  app.route('/id', identityRoutes(emulator));
  app.route('/services/data', versionsRoute());

  const data = '/services/data/:version';
  // `${data}/*` also matches `/services/data/vXX.X` itself.
  app.use(`${data}/*`, limitInfo(emulator));
  app.use(`${data}/*`, restAuth(emulator));
  app.get(data, (c) => sfJson(c, versionResources(c.get('version'))));
  app.route(`${data}/sobjects`, sobjectRoutes(emulator));
  app.route(data, queryRoutes(emulator));
  app.route(`${data}/composite`, compositeRoutes(emulator, (request) => Promise.resolve(app.fetch(request))));
  app.route(`${data}/limits`, limitsRoutes(emulator));
  app.route(`${data}/jobs/query`, bulk2Routes(emulator));
  app.route(`${data}/metadata`, restDeployRoutes(emulator));

  app.route('/services/Soap/m', soapRoutes(emulator));
  app.route('/', setupPageRoutes(emulator));

  app.notFound((c) => sfJson(c, errors.notFound().body(), 404));
  app.onError(function handleError(error, c) {
    if (error instanceof SalesforceError) return sfJson(c, error.body(), error.status);
    console.error(`salesforce-emulator: unhandled error on ${c.req.method} ${c.req.path}`, error);
    return sfJson(c, errors.unknownException().body(), 500);
  });
  return app;
}
