/**
 * The REST face of deploy: `POST /services/data/vXX.X/metadata/deployRequest` (multipart: a JSON part with
 * `deployOptions` and the zip as a file part — jsforce's deployRest names them `entity_content` and `file`) and
 * `GET …/metadata/deployRequest/{id}[?includeDetails=true]`, both answering
 * `{id, validatedDeployRequestId, deployOptions, deployResult}` with the same DeployResult as SOAP, in JSON.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_rest_deploy.htm
 */
import { Hono } from 'hono';
import type { Emulator } from '../emulator';
import { errors, SalesforceError } from '../errors';
import { sfJson, type AppEnv } from '../http';
import { hasPermission } from '../org/access';
import { deployResultJson } from './deploy-result';
import { deployOptions, type DeployJob } from './deploys';

function body(job: DeployJob, includeDetails: boolean) {
  return { id: job.id, validatedDeployRequestId: null, deployOptions: job.options, deployResult: deployResultJson(job, includeDetails) };
}

export function restDeployRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });

  routes.post('/deployRequest', async function startDeploy(c) {
    const org = emulator.org;
    const userId = c.get('session').userId;
    if (!['PermissionsModifyAllData', 'PermissionsModifyMetadata'].some((p) => hasPermission(org, userId, p))) throw errors.insufficientAccess();
    const form = await c.req.formData();
    let options: Record<string, unknown> | undefined;
    let zip: Uint8Array | undefined;
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') {
        options = (JSON.parse(value) as { deployOptions?: Record<string, unknown> }).deployOptions;
      } else if (value.type.includes('json') || name === 'json' || name === 'entity_content') {
        options = (JSON.parse(await value.text()) as { deployOptions?: Record<string, unknown> }).deployOptions;
      } else {
        zip = new Uint8Array(await value.arrayBuffer());
      }
    }
    if (!zip) throw new SalesforceError('INVALID_INPUT', 'A deploy request needs the zip file as a file part of the multipart body.', 400);
    const job = emulator.deploys.start(org, zip, deployOptions(options), userId);
    return sfJson(c, body(job, false), 201);
  });

  routes.get('/deployRequest/:id', function deployStatus(c) {
    const job = emulator.deploys.check(emulator.org, c.req.param('id'), emulator.steps.deploy);
    if (!job) throw errors.notFound();
    return sfJson(c, body(job, c.req.query('includeDetails') === 'true'));
  });

  return routes;
}
