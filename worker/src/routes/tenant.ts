/** `/api/tenant`: which tenant the caller's key belongs to (the popup and options page show it), and its name. */
import { Hono } from 'hono';
import { RenameTenantSchema } from '../../../shared/api';
import type { AppEnv } from '../app-env';
import { renameTenant } from '../db/tenants';
import { jsonBody } from '../validation';

export const tenant = new Hono<AppEnv>()
  .get('/', (c) => c.json(c.var.tenant))
  .patch('/', jsonBody(RenameTenantSchema), async (c) => {
    const { name } = c.req.valid('json');
    return c.json(await renameTenant(c.env.DB, c.var.tenant.id, name));
  });
