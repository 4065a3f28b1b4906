/**
 * The control API over HTTP, under `/__emulator/` (JSON in, JSON out), apart from anything Salesforce serves: it
 * needs no session, never counts toward the API allowance and is never faulted. Each route calls the in-process
 * control (control.ts). Bad input answers 400 `{error: {code: "bad_request", message, issues}}`; Salesforce rule
 * violations (e.g. a duplicate username) answer with their status and `{error: {code: <Salesforce errorCode>, message}}`.
 */
import { Hono } from 'hono';
import { controlCall, param as p, readBody as body } from '../../emulator-kit/control-http';
import type { Emulator } from '../emulator';
import { SalesforceError } from '../errors';
import { EmulatorControl } from './control';
import * as schemas from './schemas';

/** A handler's result as JSON (nothing: `{ok: true}`); Salesforce's rule violations keep their status and errorCode. */
const json = controlCall({
  undefinedMeans: 'ok',
  translate: (c, error) =>
    error instanceof SalesforceError ? c.json({ error: { code: error.errorCode, message: error.message, fields: error.fields } }, error.status as 400) : undefined,
});

export function controlRoutes(emulator: Emulator): Hono {
  const control = new EmulatorControl(emulator);
  const routes = new Hono({ strict: false });

  routes.get('/health', json(() => ({ ok: true, orgId: emulator.org.orgId, myDomain: emulator.org.myDomain, adminUsername: emulator.adminUsername })));
  routes.get('/admin', json(() => ({ username: emulator.adminUsername, userId: emulator.org.adminUserId, accessToken: emulator.adminAccessToken })));
  routes.post('/reset', json(async (c) => {
    const options = await body(c, schemas.resetBody);
    control.reset(options ?? {});
    return { ok: true, adminAccessToken: emulator.adminAccessToken };
  }));
  routes.post('/seed', json(async (c) => control.seed(await body(c, schemas.seedBody))));
  routes.get('/org', json(() => control.inspect()));
  routes.get('/apps', json(() => control.apps()));
  routes.post('/query', json(async (c) => {
    const { soql, ...options } = await body(c, schemas.queryBody);
    return { records: control.query(soql, options) };
  }));

  routes.get('/records/:type', json((c) => ({ count: control.count(p(c, 'type'), { includeDeleted: c.req.query('includeDeleted') === 'true' }) })));
  routes.post('/records/:type', json(async (c) => ({ id: control.createRecord(p(c, 'type'), await body(c, schemas.recordBody)) })));
  routes.get('/records/:type/:id', json((c) => control.getRecord(p(c, 'type'), p(c, 'id'))));
  routes.patch('/records/:type/:id', json(async (c) => control.updateRecord(p(c, 'type'), p(c, 'id'), await body(c, schemas.recordBody))));
  routes.delete('/records/:type/:id', json((c) => control.deleteRecord(p(c, 'type'), p(c, 'id'))));
  routes.post('/records/:type/:id/undelete', json((c) => control.undeleteRecord(p(c, 'type'), p(c, 'id'))));
  routes.post('/records/:type/:id/purge', json((c) => control.purgeRecord(p(c, 'type'), p(c, 'id'))));
  routes.post('/fields/:type', json(async (c) => ({ name: control.addCustomField(p(c, 'type'), await body(c, schemas.fieldBody)) })));

  routes.put('/licenses', json(async (c) => control.setLicenses(await body(c, schemas.licensesBody))));
  routes.get('/api-usage', json(() => control.apiUsage()));
  routes.put('/api-usage', json(async (c) => control.setApiUsage(await body(c, schemas.apiUsageBody))));
  routes.post('/sessions/expire', json(async (c) => ({ expired: control.expireSessions((await body(c, schemas.expireBody)) ?? {}) })));
  routes.put('/sessions/timeout', json(async (c) => control.setSessionTimeout((await body(c, schemas.sessionTimeoutBody)).minutes ?? undefined)));

  routes.get('/clock', json(() => ({ now: new Date(control.clock.now()).toISOString(), frozen: control.clock.frozen })));
  routes.put('/clock', json(async (c) => {
    const change = await body(c, schemas.clockBody);
    if (change.frozen === true) control.clock.freeze();
    if (change.frozen === false) control.clock.unfreeze();
    if (change.time !== undefined) control.clock.set(change.time);
    if (change.advanceMs !== undefined) control.clock.advance(change.advanceMs);
    return { now: new Date(control.clock.now()).toISOString(), frozen: control.clock.frozen };
  }));

  routes.get('/switches', json(() => control.switches()));
  routes.patch('/switches', json(async (c) => control.setSwitches(await body(c, schemas.switchesBody))));
  routes.post('/users', json(async (c) => control.createUser(await body(c, schemas.userBody))));
  routes.put('/users/:username/api-enabled', json(async (c) => control.setApiEnabled(p(c, 'username'), (await body(c, schemas.apiEnabledBody)).enabled)));
  routes.post('/tokens', json(async (c) => ({ accessToken: control.accessTokenFor((await body(c, schemas.tokenBody)).username) })));

  routes.get('/calls', json(() => control.calls()));
  routes.delete('/calls', json(() => control.resetCalls()));
  routes.get('/faults', json(() => control.faults()));
  routes.post('/faults', json(async (c) => control.addFault(await body(c, schemas.faultBody))));
  routes.delete('/faults', json(() => control.clearFaults()));
  routes.delete('/faults/:id', json((c) => ({ removed: control.removeFault(p(c, 'id')) })));
  routes.put('/steps', json(async (c) => control.setSteps(await body(c, schemas.stepsBody))));

  routes.all('/*', (c) => c.json({ error: { code: 'not_found', message: `There is no control route ${c.req.method} ${c.req.path}. See tests/salesforce-emulator/README.md.` } }, 404));
  return routes;
}
