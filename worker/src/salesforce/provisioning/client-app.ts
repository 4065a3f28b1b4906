/**
 * The OAuth client app the Worker signs in through. An External Client App, deployed with the Metadata API, whose
 * consumer key Forcebridge chooses and saves before the deploy, and whose certificate's private key never leaves
 * the Worker. Nothing depends on Salesforce revealing the key again: "Allow Access to OAuth Consumer Secrets via
 * Metadata API" (ExternalClientAppSettings.enableConsumerSecretApiAccess, marked DEPRECATED in the reference) can
 * stay off.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientappsettings.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm
 *
 * New Connected Apps cannot be created through the API since Spring '26, so a legacy Connected App is only tried
 * where the org has no External Client Apps at all, and only Salesforce's answer tells whether it still allows one.
 */
import { seal } from '../../secrets';
import { sealedKeyLabel } from '../integration-session';
import { createClientCertificate } from '../client-certificate';
import { asSalesforceError } from '../errors';
import { type DeployStatus, createMetadata, deleteMetadata, deployStatus, listMetadata, readMetadata, readMetadataMany, startDeploy } from '../metadata';
import type { StepContext, StepOutcome } from './context';
import { ProvisioningError } from './explain';
import { type ClientAppSpec, type ComponentRef, clientAppComponents, clientAppDeployZip, clientAppDestroyZip, clientAppPoliciesZip } from './client-app-package';
import { APP_LABEL, APP_NAME, MANAGED_MARKER, PERMISSION_SET_NAME } from './names';

const POLL_MS = 1_000;
const FORGET_APP = { consumer_key: null, certificate_pem: null, private_key_sealed: null, access_token_sealed: null } as const;
const POLICY_TYPES = ['ExtlClntAppOauthConfigurablePolicies', 'ExtlClntAppConfigurablePolicies'];

/** Polls a deploy until it finishes or the request's time is up (then the next call polls on). */
async function awaitDeploy(ctx: StepContext, deployId: string): Promise<DeployStatus | undefined> {
  for (;;) {
    const status = await deployStatus(ctx.admin, deployId);
    if (status.done) return status;
    if (Date.now() + POLL_MS > ctx.deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A fresh key pair per app: the private key is sealed into D1 before Salesforce ever sees the certificate. */
async function certificateFor(ctx: StepContext): Promise<string> {
  if (ctx.connection.certificate_pem && ctx.connection.private_key_sealed) return ctx.connection.certificate_pem;
  const certificate = await createClientCertificate(ctx.connection.org_id);
  await ctx.save({
    certificate_pem: certificate.certificatePem,
    private_key_sealed: await seal(ctx.env.ENCRYPTION_KEY, certificate.privateKeyPem, sealedKeyLabel(ctx.connection.id)),
  });
  return certificate.certificatePem;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The app's consumer key: chosen here and saved before the deploy, so a crash mid-deploy keeps the same one. */
async function consumerKeyFor(ctx: StepContext): Promise<string> {
  if (ctx.connection.consumer_key) return ctx.connection.consumer_key;
  const bytes = crypto.getRandomValues(new Uint8Array(60));
  const key = `FB${[...bytes].map((b) => BASE62[b % BASE62.length]).join('')}`;
  await ctx.save({ consumer_key: key });
  return key;
}

const ecaUnavailable = (problems: string[]) => problems.some((p) => /external client app/i.test(p) && /(not enabled|isn't enabled|not available|turn on)/i.test(p));

/** Reads the app; `unavailable` when the org has no External Client App types at all (INVALID_TYPE). */
async function readApp(ctx: StepContext): Promise<{ unavailable: string } | { app: { description?: string } | undefined }> {
  try {
    return { app: await readMetadata<{ description?: string }>(ctx.admin, 'ExternalClientApplication', APP_NAME) };
  } catch (error) {
    const sf = asSalesforceError(error);
    if (sf?.errorCode === 'INVALID_TYPE') return { unavailable: `External Client Apps are not available in this org (${sf.errorCode}: ${sf.message})` };
    throw error;
  }
}

/**
 * The components of the org that belong to the app, found rather than assumed: Salesforce generates policy
 * components of its own (`<App>_oauth_defaultPolicy`), so the names Forcebridge deployed are not all there is.
 */
async function componentsOfApp(ctx: StepContext, types: string[]): Promise<ComponentRef[]> {
  const listed = await listMetadata(ctx.admin, types);
  const found: ComponentRef[] = [];
  for (const type of types) {
    const names = listed.filter((c) => c.type === type).map((c) => c.fullName);
    if (type === 'ExternalClientApplication') {
      found.push(...names.filter((n) => n.toLowerCase() === APP_NAME.toLowerCase()).map((fullName) => ({ type, fullName })));
      continue;
    }
    const read = await readMetadataMany<{ externalClientApplication?: string }>(ctx.admin, type, names);
    found.push(...read.filter((c) => c.externalClientApplication?.toLowerCase() === APP_NAME.toLowerCase()).map((c) => ({ type, fullName: c.fullName })));
  }
  return found;
}

async function specFor(ctx: StepContext): Promise<ClientAppSpec> {
  const permissionSetId = ctx.connection.permission_set_id;
  if (!permissionSetId) throw new Error(`connection ${ctx.connection.id} has no permission set yet`);
  return { name: APP_NAME, label: APP_LABEL, contactEmail: ctx.adminIdentity.email, certificatePem: await certificateFor(ctx), consumerKey: await consumerKeyFor(ctx), permissionSetId };
}

export async function createClientApp(ctx: StepContext): Promise<StepOutcome> {
  let deployId = ctx.state.deployId as string | undefined;
  let phase = (ctx.state.phase as 'app' | 'policies' | undefined) ?? 'app';
  if (!deployId) {
    const found = await readApp(ctx);
    if ('unavailable' in found) return createLegacyConnectedApp(ctx, found.unavailable);
    if (found.app && !found.app.description?.includes(MANAGED_MARKER)) {
      throw new ProvisioningError(
        'salesforce_name_in_use',
        `An External Client App named ${APP_NAME} already exists and was not made by Forcebridge. Rename or delete it in Setup → External Client App Manager, then retry.`,
        { status: 409 },
      );
    }
    await ctx.save({ app_kind: 'external_client_app', app_name: APP_NAME });
    deployId = await startDeploy(ctx.admin, clientAppDeployZip(await specFor(ctx)));
    phase = 'app';
  }
  const result = await awaitDeploy(ctx, deployId);
  if (!result) return { status: 'waiting', detail: 'Salesforce is deploying the External Client App…', state: { deployId, phase } };
  if (!result.success) {
    if (phase === 'app' && ecaUnavailable(result.problems)) return createLegacyConnectedApp(ctx, result.problems.join('; '));
    // A refused consumer key, certificate or policy is named in the problem text Salesforce gave.
    throw new ProvisioningError('salesforce_deploy_failed', `Salesforce could not deploy the External Client App: ${result.problems.join('; ')}. Fix what it names in Setup → External Client App Manager, then retry.`, { status: 409 });
  }
  if (phase === 'app') {
    // Every policy component that exists for the app gets Forcebridge's policy, whoever named it.
    const ours = new Set(clientAppComponents(APP_NAME).map((c) => `${c.type}:${c.fullName}`.toLowerCase()));
    const others = (await componentsOfApp(ctx, POLICY_TYPES)).filter((c) => !ours.has(`${c.type}:${c.fullName}`.toLowerCase()));
    if (others.length > 0) {
      const policiesDeploy = await startDeploy(ctx.admin, clientAppPoliciesZip(await specFor(ctx), others));
      return { status: 'waiting', detail: `Pre-authorizing ${PERMISSION_SET_NAME} in the policies Salesforce created (${others.map((c) => c.fullName).join(', ')})…`, state: { deployId: policiesDeploy, phase: 'policies' } };
    }
  }
  return { status: 'done', detail: `Deployed the External Client App ${APP_NAME}, pre-authorized for ${PERMISSION_SET_NAME}.` };
}

/**
 * Legacy Connected App with a consumer key of our choosing, pre-authorized in its own metadata (`permissionSetName`,
 * which takes permission set names); fails loudly when Salesforce does not keep that pre-authorization.
 */
async function createLegacyConnectedApp(ctx: StepContext, ecaProblem: string): Promise<StepOutcome> {
  const consumerKey = await consumerKeyFor(ctx);
  const saved = await createMetadata(ctx.admin, 'ConnectedApp', {
    fullName: APP_NAME,
    contactEmail: ctx.adminIdentity.email,
    description: `${MANAGED_MARKER}: server-to-server access for Forcebridge.`,
    label: APP_LABEL,
    oauthConfig: {
      callbackUrl: 'https://login.salesforce.com/services/oauth2/success',
      certificate: await certificateFor(ctx),
      consumerKey,
      isAdminApproved: true,
      scopes: ['Api', 'RefreshToken'],
    },
    permissionSetName: [PERMISSION_SET_NAME],
  });
  if (!saved.success && !saved.errors.some((e) => e.statusCode === 'DUPLICATE_DEVELOPER_NAME')) {
    throw new ProvisioningError(
      'salesforce_client_app_blocked',
      `Your org accepts neither an External Client App (${ecaProblem}) nor a new Connected App (${saved.errors.map((e) => e.message).join('; ') || 'refused'}). Turn on External Client Apps in Setup → External Client App Settings, then retry.`,
      { status: 409 },
    );
  }
  const app = await readMetadata<{ permissionSetName?: string | string[]; oauthConfig?: { isAdminApproved?: unknown } }>(ctx.admin, 'ConnectedApp', APP_NAME);
  const sets = [app?.permissionSetName ?? []].flat().map((s) => s.toLowerCase());
  if (!sets.includes(PERMISSION_SET_NAME.toLowerCase())) {
    throw new ProvisioningError(
      'salesforce_deploy_failed',
      `Salesforce created the Connected App ${APP_NAME} but did not keep its pre-authorization for ${PERMISSION_SET_NAME}. In Setup → App Manager → ${APP_NAME} → Manage, set "Admin approved users are pre-authorized" and add the permission set, then retry.`,
      { status: 409 },
    );
  }
  await ctx.save({ app_kind: 'connected_app', app_name: APP_NAME, consumer_key: consumerKey });
  return { status: 'done', detail: `Your org cannot take External Client Apps, so Forcebridge created the legacy Connected App ${APP_NAME}, pre-authorized for ${PERMISSION_SET_NAME}.` };
}

export async function deleteClientApp(ctx: StepContext): Promise<StepOutcome> {
  if (ctx.connection.app_kind === 'connected_app') {
    const deleted = await deleteMetadata(ctx.admin, 'ConnectedApp', APP_NAME);
    if (!deleted.success && !deleted.errors.some((e) => e.statusCode === 'INVALID_CROSS_REFERENCE_KEY')) {
      throw new ProvisioningError('salesforce_deploy_failed', `Salesforce could not delete the Connected App: ${deleted.errors.map((e) => e.message).join('; ')}. Delete it in Setup → App Manager, then retry.`, { status: 409 });
    }
    await ctx.save(FORGET_APP);
    return { status: 'done', detail: `Deleted the Connected App ${APP_NAME}.` };
  }
  let deployId = ctx.state.deployId as string | undefined;
  if (!deployId) {
    const found = await readApp(ctx);
    if ('unavailable' in found || !found.app) {
      await ctx.save(FORGET_APP);
      return { status: 'skipped', detail: 'There was no External Client App to delete.' };
    }
    // The delete package names exactly what exists, generated policies included.
    const existing = await componentsOfApp(ctx, clientAppComponents(APP_NAME).map((c) => c.type));
    deployId = await startDeploy(ctx.admin, clientAppDestroyZip(existing));
  }
  const result = await awaitDeploy(ctx, deployId);
  if (!result) return { status: 'waiting', detail: 'Salesforce is deleting the External Client App…', state: { deployId } };
  if (!result.success) {
    throw new ProvisioningError('salesforce_deploy_failed', `Salesforce could not delete the External Client App: ${result.problems.join('; ')}. Delete it in Setup → External Client App Manager, then retry.`, { status: 409 });
  }
  await ctx.save(FORGET_APP);
  return { status: 'done', detail: `Deleted the External Client App ${APP_NAME}; its certificate and private key are gone.` };
}
