/**
 * The control API over HTTP, under `/__emulator/` (JSON in, JSON out), apart from what Dataverse serves: it needs no
 * token, is never counted, throttled or faulted. Each route calls the in-process control (control.ts). Bad input
 * answers 400 `{error: {code: "bad_request", message, issues}}`; an unknown row answers 404.
 */
import { Hono } from 'hono';
import { controlCall, param as p, readBody as body } from '../../emulator-kit/control-http';
import type { DataverseEmulator } from '../emulator';
import { DataverseControl } from './control';
import * as schemas from './schemas';

/** A handler's result as JSON: null is `{ok: true}`, undefined is "no such row" (404). */
const json = controlCall({ undefinedMeans: 'not_found' });
const ok = () => null;

export function controlRoutes(emulator: DataverseEmulator): Hono {
  const control = new DataverseControl(emulator);
  const routes = new Hono({ strict: false });

  routes.get('/health', json(() => ({ ok: true, environmentUrl: emulator.environment.url, tenantId: emulator.tenantId, clientId: emulator.clientId })));
  routes.get('/credentials', json((c) => ({
    environmentUrl: emulator.environment.url,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    emulatorUrl: new URL(c.req.url).origin,
    applicationUserId: emulator.applicationUserId,
  })));
  routes.post('/reset', json(() => (control.reset(), ok())));
  routes.post('/seed', json(async (c) => control.seed(await body(c, schemas.seedBody))));

  routes.get('/teams', json(() => ({ teams: control.teams() })));
  routes.post('/teams', json(async (c) => ({ id: control.addTeam(await body(c, schemas.teamBody)) })));
  routes.delete('/teams/:id', json((c) => (control.deleteTeam(p(c, 'id')) ? ok() : undefined)));
  routes.post('/users', json(async (c) => ({ id: control.addUser(await body(c, schemas.userBody)) })));
  routes.delete('/application-users/:clientId', json((c) => (control.removeApplicationUser(p(c, 'clientId')) ? ok() : undefined)));

  routes.get('/privileges/:principal', json((c) => ({ privileges: control.privileges(p(c, 'principal')) })));
  routes.put('/privileges/:principal', json(async (c) => ({ privileges: control.setPrivileges(p(c, 'principal'), (await body(c, schemas.privilegesBody)).privileges) })));
  routes.post('/privileges/:principal/grant', json(async (c) => ({ privileges: control.grant(p(c, 'principal'), (await body(c, schemas.privilegesBody)).privileges) })));
  routes.post('/privileges/:principal/revoke', json(async (c) => ({ privileges: control.revoke(p(c, 'principal'), (await body(c, schemas.privilegesBody)).privileges) })));

  routes.post('/apps', json(async (c) => control.registerApp((await body(c, schemas.appBody)) ?? {})));
  routes.post('/apps/:clientId/secrets', json(async (c) => ({ secret: control.addSecret(p(c, 'clientId'), (await body(c, schemas.secretBody)) ?? {}) })));
  routes.post('/apps/:clientId/secrets/expire', json((c) => (control.expireSecrets(p(c, 'clientId')), ok())));
  routes.post('/apps/:clientId/certificates', json(async (c) => control.addCertificate(p(c, 'clientId'), (await body(c, schemas.certificateBody)).certificatePem)));

  routes.get('/rows/:table', json((c) => {
    const top = c.req.query('top');
    return { count: control.count(p(c, 'table')), rows: control.rows(p(c, 'table'), { top: top === undefined ? 100 : Number(top) }) };
  }));
  routes.get('/rows/:table/:id', json((c) => control.row(p(c, 'table'), p(c, 'id'))));
  routes.delete('/rows/:table/:id', json((c) => (control.deleteRow(p(c, 'table'), p(c, 'id')) ? ok() : undefined)));

  routes.get('/switches', json(() => control.switches()));
  routes.patch('/switches', json(async (c) => control.setSwitches(await body(c, schemas.switchesBody))));
  routes.get('/service-protection', json(() => control.serviceProtection()));
  routes.put('/service-protection', json(async (c) => control.setServiceProtection(await body(c, schemas.serviceProtectionBody))));

  routes.get('/calls', json(() => control.calls()));
  routes.delete('/calls', json(() => (control.resetCalls(), ok())));
  routes.get('/faults', json(() => ({ faults: control.faults() })));
  routes.post('/faults', json(async (c) => control.addFault(await body(c, schemas.faultBody))));
  routes.delete('/faults', json(() => (control.clearFaults(), ok())));
  routes.delete('/faults/:id', json((c) => (control.removeFault(p(c, 'id')) ? ok() : undefined)));

  routes.get('/clock', json(() => ({ time: new Date(control.clock.now()).toISOString(), frozen: control.clock.frozen })));
  routes.put('/clock', json(async (c) => {
    const { time, advanceMs, frozen } = await body(c, schemas.clockBody);
    if (time !== undefined) control.clock.set(time);
    if (advanceMs !== undefined) control.clock.advance(advanceMs);
    if (frozen === true) control.clock.freeze();
    if (frozen === false) control.clock.unfreeze();
    return { time: new Date(control.clock.now()).toISOString(), frozen: control.clock.frozen };
  }));
  return routes;
}
