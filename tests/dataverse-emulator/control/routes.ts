/**
 * The control API over HTTP, under `/__emulator/` (JSON in, JSON out), apart from what Dataverse serves: it needs no
 * token, is never counted, throttled or faulted. Each route calls the in-process control (control.ts). Bad input
 * answers 400 `{error: {code: "bad_request", message, issues}}`; an unknown row answers 404.
 */
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { DataverseEmulator } from '../emulator';
import { DataverseControl } from './control';
import * as schemas from './schemas';

class BadRequest extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const p = (c: Context, name: string): string => c.req.param(name) ?? '';

export function controlRoutes(emulator: DataverseEmulator): Hono {
  const control = new DataverseControl(emulator);
  const routes = new Hono({ strict: false });

  const json = (handler: (c: Context) => unknown) =>
    async function controlCall(c: Context) {
      try {
        const result = await handler(c);
        if (result === undefined) return c.json({ error: { code: 'not_found', message: 'No such row.' } }, 404);
        return c.json((result === null ? { ok: true } : result) as object);
      } catch (error) {
        if (error instanceof BadRequest) return c.json({ error: { code: 'bad_request', message: error.message, issues: error.issues } }, 400);
        if (error instanceof Error) return c.json({ error: { code: 'bad_request', message: error.message } }, 400);
        throw error;
      }
    };

  const body = async <S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> => {
    const text = await c.req.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new BadRequest('The body is not JSON.');
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      throw new BadRequest(`Invalid body: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`, issues);
    }
    return result.data;
  };
  const ok = () => null;

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
