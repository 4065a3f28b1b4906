/**
 * The Metadata API SOAP endpoint `POST /services/Soap/m/{version}`: reads the SessionHeader, checks the session
 * (fault sf:INVALID_SESSION_ID, "Invalid Session ID found in SessionHeader: Illegal Session" as in
 * soap/metaforce-mit/foo__invalid_session.xml), API access, the allowance and the Modify Metadata permission
 * (sf:INSUFFICIENT_ACCESS), then runs the call named by the Body's element.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_calls_intro.htm
 */
import { Hono, type Context } from 'hono';
import { formatDateTimeZ } from '../clock';
import type { Emulator } from '../emulator';
import type { AppEnv } from '../http';
import { apiEnabledFor, hasPermission } from '../org/access';
import { createMetadata, deleteMetadata, listMetadata, readMetadata, updateMetadata, upsertMetadata } from './crud';
import { deployResultXml } from './deploy-result';
import { deployOptions } from './deploys';
import { problems } from './apply';
import { ECA_TYPES, METADATA_TYPES } from './types';
import { asArray, envelope, faultEnvelope, fields, METADATA_NS, parseXml, SoapFault, withoutAttributes, type XmlObject } from './xml';

function xmlResponse(c: Context, body: string, status = 200): Response {
  return c.body(body, status as 200, { 'Content-Type': 'text/xml;charset=UTF-8' });
}

function object(value: unknown): XmlObject {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlObject) : {};
}

/** The signed-in user behind the SessionHeader, after the same gates REST applies. */
function authenticate(emulator: Emulator, envelopeXml: XmlObject): string {
  const org = emulator.org;
  const header = object(object(envelopeXml.Envelope).Header);
  const token = String(object(header.SessionHeader).sessionId ?? '');
  const session = token ? org.sessions.use(token, org.clock.now()) : undefined;
  if (!session || !session.apiAllowed) throw new SoapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
  if (!org.switches.apiEnabled || !apiEnabledFor(org, session.userId)) {
    throw new SoapFault('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner');
  }
  if (!org.limits.take()) throw new SoapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  // "Modify Metadata Through Metadata API Functions" or "Modify All Data"; without the strict gates, Customize
  // Application also passes, as the emulator did before.
  const gates = org.switches.permissionGates ? ['PermissionsModifyAllData', 'PermissionsModifyMetadata'] : ['PermissionsModifyAllData', 'PermissionsModifyMetadata', 'PermissionsCustomizeApplication'];
  const canModify = gates.some((p) => hasPermission(org, session.userId, p));
  if (!canModify) throw new SoapFault('INSUFFICIENT_ACCESS', 'insufficient access rights on object id');
  return session.userId;
}

function describeMetadata(): string {
  const objects = METADATA_TYPES.map(
    (t) => `<metadataObjects>${fields([['directoryName', t.folder], ['inFolder', false], ['metaFile', false], ['suffix', t.suffix], ['xmlName', t.type]])}</metadataObjects>`,
  ).join('');
  return `<result>${objects}${fields([['organizationNamespace', ''], ['partialSaveAllowed', true], ['testRequired', false]])}</result>`;
}

/** Where External Client Apps are off, their types do not exist for this org: reading them is an INVALID_TYPE fault. */
function refuseUnavailableTypes(emulator: Emulator, operation: string, args: XmlObject): void {
  if (emulator.org.switches.externalClientAppsEnabled) return;
  const types = operation === 'readMetadata' ? [String(args.type ?? '')] : asArray(args.queries as XmlObject | XmlObject[]).map((q) => String(q.type ?? ''));
  if (types.some((type) => ECA_TYPES.includes(type))) throw new SoapFault('INVALID_TYPE', problems.typeNotAvailable());
}

export function soapRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });
  routes.post('/:version', async function metadataCall(c) {
    try {
      const request = parseXml(await c.req.text());
      const userId = authenticate(emulator, request);
      const org = emulator.org;
      const body = object(object(request.Envelope).Body);
      const operation = Object.keys(body).find((key) => !key.startsWith('@_')) ?? '';
      const args = object(body[operation]);
      const respond = (result: string) => xmlResponse(c, envelope(`<${operation}Response>${result}</${operation}Response>`));
      if (operation === 'readMetadata' || operation === 'listMetadata') refuseUnavailableTypes(emulator, operation, args);
      switch (operation) {
        case 'createMetadata':
          return respond(createMetadata(org, args, userId));
        case 'updateMetadata':
          return respond(updateMetadata(org, args, userId));
        case 'upsertMetadata':
          return respond(upsertMetadata(org, args, userId));
        case 'deleteMetadata':
          return respond(deleteMetadata(org, args));
        case 'readMetadata':
          return respond(readMetadata(org, args));
        case 'listMetadata':
          return respond(listMetadata(org, args));
        case 'describeMetadata':
          return respond(describeMetadata());
        case 'deploy': {
          const zip = Buffer.from(String(args.ZipFile ?? ''), 'base64');
          const job = emulator.deploys.start(org, zip, deployOptions(withoutAttributes(args.DeployOptions) as Record<string, unknown>), userId);
          return respond(`<result>${fields([['done', false], ['id', job.id], ['state', 'Queued'], ['stateDetailLastModifiedDate', formatDateTimeZ(job.createdDate)]])}</result>`);
        }
        case 'checkDeployStatus': {
          const job = emulator.deploys.check(org, String(args.asyncProcessId ?? ''), emulator.steps.deploy);
          if (!job) throw new SoapFault('INVALID_ID_FIELD', `invalid deploy id: ${String(args.asyncProcessId)}`);
          return respond(`<result>${deployResultXml(job, String(args.includeDetails) === 'true')}</result>`);
        }
        case 'cancelDeploy':
          return respond(`<result>${fields([['done', true], ['id', String(args.id ?? '')]])}</result>`);
        default:
          throw new SoapFault('INVALID_OPERATION', `No operation available for request {${METADATA_NS}}${operation}`);
      }
    } catch (error) {
      if (error instanceof SoapFault) return xmlResponse(c, faultEnvelope(error.code, error.message), 500);
      throw error;
    }
  });
  return routes;
}
