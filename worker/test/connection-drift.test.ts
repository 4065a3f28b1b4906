/**
 * Drift: the app, user or permission set changed in Salesforce after provisioning. Verify (on demand, and from the
 * cron) finds it through the integration user's eyes; Update permissions fixes the set in place, Recreate
 * connection rebuilds everything.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectionSchema } from '../../shared/api';
import { adminConnection } from '../src/salesforce/api';
import { deployStatus, startDeploy } from '../src/salesforce/metadata';
import { clientAppComponents, clientAppDestroyZip } from '../src/salesforce/provisioning/client-app-package';
import { runScheduledWork } from '../src/scheduled';
import { reconnect, turnOn, updatePermissions } from './connection-driver';
import { EMULATOR_URL, ORG_URL, adminSession, control, inspectOrg, freshOrgAndTenants } from './emulator';
import { call, newTenant } from './helpers';

beforeEach(freshOrgAndTenants);

const verify = async (key: string, id: string) => ConnectionSchema.parse(await (await call(`/api/connections/${id}/verify`, { method: 'POST', key })).json());

async function removeFieldPermission(field: string) {
  const set = (await inspectOrg()).permissionSets.find((s) => s.Name === 'Forcebridge_permission_set')!;
  const row = set.FieldPermissions.find((f) => f.Field === field)!;
  await control('DELETE', `/records/FieldPermissions/${row.Id}`);
}

describe('drift', () => {
  it('finds nothing on a healthy connection', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    const checked = await verify(acme.key, on.id);
    expect(checked.drift).toEqual([]);
    expect(checked.lastError).toBeNull();
  });

  it('a field permission removed in Setup: names the fields and offers Update permissions, which fixes it in place', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    await removeFieldPermission('Contact.Email');
    const drifted = await verify(acme.key, on.id);
    expect(drifted.drift).toEqual([expect.objectContaining({ kind: 'field_access_missing', object: 'Contact', fields: ['Email'] })]);
    expect(drifted.lastError).toMatchObject({ code: 'connection_drift', actions: ['update_permissions', 'recreate_connection'] });
    expect(drifted.lastError!.message).toMatch(/Email/);

    const setBefore = (await inspectOrg()).permissionSets.find((s) => s.Name === 'Forcebridge_permission_set')!;
    const fixed = await updatePermissions(acme.key, on.id);
    expect(fixed.status).toBe('connected');
    expect(fixed.steps.map((s) => s.step)).toEqual(['permission_set', 'verification']);
    const setAfter = (await inspectOrg()).permissionSets.find((s) => s.Name === 'Forcebridge_permission_set')!;
    expect(setAfter.Id).toBe(setBefore.Id);
    expect(setAfter.FieldPermissions.map((f) => f.Field)).toContain('Contact.Email');
    expect((await verify(acme.key, on.id)).drift).toEqual([]);
  });

  it('an extra permission added in Setup is revoked by Update permissions (least privilege)', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    const set = (await inspectOrg()).permissionSets.find((s) => s.Name === 'Forcebridge_permission_set')!;
    await control('POST', '/records/FieldPermissions', { ParentId: set.Id, SobjectType: 'Contact', Field: 'Contact.Title', PermissionsRead: true });
    await updatePermissions(acme.key, on.id);
    const after = (await inspectOrg()).permissionSets.find((s) => s.Name === 'Forcebridge_permission_set')!;
    expect(after.FieldPermissions.map((f) => f.Field)).not.toContain('Contact.Title');
  });

  it('the client app deleted in Setup: offers Recreate connection, which rebuilds it', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    expect((await inspectOrg()).apps.find((a) => a.name === 'Forcebridge')).toBeDefined();
    // Delete the app the way an admin would: a destructive Metadata deploy as the admin, naming every component,
    // the OAuth policy Salesforce generated included.
    const admin = adminConnection({ origin: ORG_URL, address: EMULATOR_URL }, (await adminSession()).accessToken);
    const generated = { type: 'ExtlClntAppOauthConfigurablePolicies', fullName: 'Forcebridge_oauth_defaultPolicy' };
    const deployId = await startDeploy(admin, clientAppDestroyZip([...clientAppComponents('Forcebridge'), generated]));
    while (!(await deployStatus(admin, deployId)).done) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await inspectOrg()).apps.find((a) => a.name === 'Forcebridge')).toBeUndefined();

    const drifted = await verify(acme.key, on.id);
    expect(drifted.drift[0]).toMatchObject({ kind: 'client_app_missing' });
    expect(drifted.lastError).toMatchObject({ code: 'connection_drift', actions: ['recreate_connection'] });

    const rebuilt = await reconnect(acme.key, on.id);
    expect(rebuilt.status).toBe('connected');
    expect((await verify(acme.key, on.id)).drift).toEqual([]);
  });

  it('the integration user deactivated in Setup is found by the cron check', async () => {
    const acme = await newTenant();
    const on = await turnOn(acme.key);
    await control('PATCH', `/records/User/${on.integrationUserId}`, { IsActive: false });
    await env.DB.prepare("UPDATE connections SET verified_at = '2000-01-01T00:00:00.000Z'").run();
    const tick = await runScheduledWork(env, new Date());
    expect(tick).toMatchObject({ verified: 1, drifted: 1 });
    const seen = ConnectionSchema.parse(await (await call(`/api/connections/${on.id}`, { key: acme.key })).json());
    expect(seen.drift[0]).toMatchObject({ kind: 'user_inactive' });
  });
});
