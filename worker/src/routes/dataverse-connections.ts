/**
 * `/api/dataverse-connections`: a tenant's connections to Microsoft Dataverse environments (a connector's
 * destination when it does not write to D1).
 *
 *   POST   /                   { environmentUrl, tenantId, clientId, clientSecret? }  → 201 the connection; without a
 *                               secret the Worker generates a key pair and the answer carries the certificate to upload
 *   GET    /                   the tenant's connections
 *   GET    /:id                one connection
 *   POST   /:id/test           sign in and WhoAmI → the application user (id, name, business unit)
 *   DELETE /:id                forget the connection (its secret or key with it)
 *   GET    /:id/teams          the environment's teams
 *   GET    /:id/access?teamId= can the application user write contacts/accounts owned by that team?
 *   GET    /:id/columns/:table the environment's columns of contact or account (type, max length)
 *
 * Secrets and private keys are sealed at rest and never returned.
 */
import { Hono } from 'hono';
import { DataverseConnectionInputSchema } from '../../../shared/dataverse';
import type { AppEnv } from '../app-env';
import { connectorsUsingDataverseConnection } from '../db/connectors';
import { forgetColumns, tableColumns } from '../dataverse/columns';
import { openDataverseConnection, sealedKeyLabel, sealedSecretLabel } from '../dataverse/connection';
import { createDataverseCertificate } from '../dataverse/certificate';
import { dataverseConnectionView } from '../dataverse/connection-view';
import { dataverseConnectionOf, describeAccessProblem } from '../dataverse/destination-check';
import { explainDataverseError } from '../dataverse/explain';
import { dataverseEndpoints } from '../dataverse/hosts';
import { whoAmI } from '../dataverse/identity';
import { checkWriteAccess, listTeams } from '../dataverse/teams';
import { forgetToken } from '../dataverse/token';
import {
  type DataverseConnectionRow,
  deleteDataverseConnection,
  findDataverseConnectionForEnvironment,
  insertDataverseConnection,
  listDataverseConnections,
  recordDataverseTest,
} from '../db/dataverse-connections';
import { AppError } from '../errors';
import { seal } from '../secrets';
import { jsonBody } from '../validation';

type Context = { env: Env; var: { tenant: { id: string } }; req: { param(name: 'id'): string } };

const connectionOf = (c: Context) => dataverseConnectionOf(c.env, c.var.tenant.id, c.req.param('id'));
const factsOf = (row: DataverseConnectionRow) => ({ environmentUrl: row.environment_url, tenantId: row.entra_tenant_id, clientId: row.client_id });

/** Runs a Dataverse call for a route; what the service refuses becomes a message saying what to fix. */
async function withDataverse<T>(row: DataverseConnectionRow, env: Env, work: (client: Awaited<ReturnType<typeof openDataverseConnection>>) => Promise<T>): Promise<T> {
  try {
    return await work(await openDataverseConnection(env, row));
  } catch (error) {
    throw explainDataverseError(error, factsOf(row));
  }
}

export const dataverseConnections = new Hono<AppEnv>()
  .get('/', async (c) => c.json((await listDataverseConnections(c.env.DB, c.var.tenant.id)).map(dataverseConnectionView)))

  .get('/:id', async (c) => c.json(dataverseConnectionView(await connectionOf(c))))

  .post('/', jsonBody(DataverseConnectionInputSchema), async (c) => {
    const input = c.req.valid('json');
    const { environmentUrl } = dataverseEndpoints(input.environmentUrl, c.env);
    const tenantId = c.var.tenant.id;
    if (await findDataverseConnectionForEnvironment(c.env.DB, tenantId, environmentUrl)) {
      throw new AppError('dataverse_connection_exists', 409, `Your tenant already has a connection to ${environmentUrl}. Test or delete that one (GET /api/dataverse-connections) instead of adding another.`);
    }
    const id = crypto.randomUUID();
    const certificate = input.clientSecret === undefined ? await createDataverseCertificate(`Dataverse ${new URL(environmentUrl).hostname}`) : undefined;
    await insertDataverseConnection(c.env.DB, {
      id,
      tenant_id: tenantId,
      environment_url: environmentUrl,
      entra_tenant_id: input.tenantId,
      client_id: input.clientId,
      credential_kind: certificate ? 'certificate' : 'secret',
      client_secret_sealed: input.clientSecret === undefined ? null : await seal(c.env.ENCRYPTION_KEY, input.clientSecret, sealedSecretLabel(id)),
      certificate_pem: certificate?.certificatePem ?? null,
      certificate_thumbprint: certificate?.thumbprint ?? null,
      certificate_expires_at: certificate?.expiresAt.toISOString() ?? null,
      private_key_sealed: certificate ? await seal(c.env.ENCRYPTION_KEY, certificate.privateKeyPem, sealedKeyLabel(id)) : null,
    });
    return c.json(dataverseConnectionView(await dataverseConnectionOf(c.env, tenantId, id)), 201);
  })

  .post('/:id/test', async (c) => {
    const row = await connectionOf(c);
    const testedAt = new Date().toISOString();
    try {
      const user = await withDataverse(row, c.env, async (client) => {
        await client.signIn();
        return whoAmI(client);
      });
      await recordDataverseTest(c.env.DB, row.id, {
        status: 'connected',
        application_user_id: user.userId,
        application_user_name: user.name,
        business_unit_id: user.businessUnitId,
        business_unit_name: user.businessUnitName,
        organization_id: user.organizationId,
        tested_at: testedAt,
        last_error_code: null,
        last_error_message: null,
      });
    } catch (error) {
      if (error instanceof AppError) {
        await recordDataverseTest(c.env.DB, row.id, {
          status: 'failed',
          application_user_id: null,
          application_user_name: null,
          business_unit_id: null,
          business_unit_name: null,
          organization_id: null,
          tested_at: testedAt,
          last_error_code: error.code,
          last_error_message: error.message,
        });
      }
      throw error;
    }
    return c.json(dataverseConnectionView(await connectionOf(c)));
  })

  .delete('/:id', async (c) => {
    const row = await connectionOf(c);
    const users = await connectorsUsingDataverseConnection(c.env.DB, c.var.tenant.id, row.id);
    if (users.length) {
      throw new AppError('dataverse_connection_exists', 409, `The connector${users.length === 1 ? '' : 's'} ${users.map((n) => `"${n}"`).join(', ')} write${users.length === 1 ? 's' : ''} to this connection. Change their destination or delete them first.`);
    }
    await deleteDataverseConnection(c.env.DB, c.var.tenant.id, row.id);
    forgetToken(`${row.id}:${row.credential_kind}`);
    forgetColumns(row.id);
    return c.json({ deleted: row.id, message: `The connection to ${row.environment_url} is deleted, with its sealed credential. Nothing in the environment was changed; remove the certificate or secret from the app registration if nothing else uses it.` });
  })

  .get('/:id/teams', async (c) => {
    const row = await connectionOf(c);
    return c.json(await withDataverse(row, c.env, listTeams));
  })

  .get('/:id/access', async (c) => {
    const row = await connectionOf(c);
    const teamId = c.req.query('teamId') ?? '';
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(teamId)) {
      throw new AppError('validation_failed', 400, 'Pass ?teamId= with the id (a GUID) of a team from GET /api/dataverse-connections/:id/teams.');
    }
    if (row.status !== 'connected' || !row.application_user_id) {
      throw new AppError('validation_failed', 400, `Test the connection first (POST /api/dataverse-connections/${row.id}/test): the check needs to know its application user.`);
    }
    const userId = row.application_user_id;
    const access = await withDataverse(row, c.env, (client) => checkWriteAccess(client, userId, teamId));
    if (access.kind === 'ok') return c.json({ ok: true, missing: [], message: `The application user can write contacts and accounts owned by "${access.team.name}".` });
    const described = describeAccessProblem(access, teamId);
    return c.json({ ok: false, missing: described.missing, message: described.message });
  })

  .get('/:id/columns/:table', async (c) => {
    const row = await connectionOf(c);
    const table = c.req.param('table');
    if (table !== 'contact' && table !== 'account') throw new AppError('validation_failed', 400, `Columns are read for contact and account only, not "${table}".`);
    const described = await withDataverse(row, c.env, (client) => tableColumns(client, row.id, table));
    return c.json([...described.columns.values()].sort((a, b) => a.logicalName.localeCompare(b.logicalName)));
  });
