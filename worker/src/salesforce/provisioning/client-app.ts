/**
 * The OAuth client app the Worker signs in through. An External Client App, deployed with the Metadata API, whose
 * certificate's private key never leaves the Worker. New Connected Apps cannot be created through the API since
 * Spring '26, so a legacy Connected App is only a fallback where the org cannot take External Client Apps and
 * still allows Connected Apps.
 */
import { seal } from '../../secrets';
import { sealedKeyLabel } from '../integration-session';
import { createClientCertificate } from '../client-certificate';
import { type DeployStatus, createMetadata, deleteMetadata, deployStatus, readMetadata, startDeploy } from '../metadata';
import type { StepContext, StepOutcome } from './context';
import { ProvisioningError } from './explain';
import { clientAppDeployZip, clientAppDestroyZip } from './client-app-package';
import { APP_LABEL, APP_NAME, MANAGED_MARKER, PERMISSION_SET_NAME, soqlString } from './names';

const POLL_MS = 1_000;
const FORGET_APP = { consumer_key: null, certificate_pem: null, private_key_sealed: null, access_token_sealed: null } as const;

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

const ecaUnavailable = (problems: string[]) => problems.some((p) => /external client app/i.test(p) && /(not enabled|isn't enabled|not available|turn on)/i.test(p));

export async function createClientApp(ctx: StepContext): Promise<StepOutcome> {
  let deployId = ctx.state.deployId as string | undefined;
  if (!deployId) {
    const existing = await readMetadata<{ description?: string }>(ctx.admin, 'ExternalClientApplication', APP_NAME);
    if (existing && !existing.description?.includes(MANAGED_MARKER)) {
      throw new ProvisioningError(
        'salesforce_name_in_use',
        `An External Client App named ${APP_NAME} already exists and was not made by Forcebridge. Rename or delete it in Setup → External Client App Manager, then retry.`,
        { status: 409 },
      );
    }
    const zip = clientAppDeployZip({ name: APP_NAME, label: APP_LABEL, contactEmail: ctx.adminIdentity.email, certificatePem: await certificateFor(ctx), permissionSetName: PERMISSION_SET_NAME });
    deployId = await startDeploy(ctx.admin, zip);
  }
  const result = await awaitDeploy(ctx, deployId);
  if (!result) return { status: 'waiting', detail: 'Salesforce is deploying the External Client App…', state: { deployId } };
  if (!result.success) {
    if (ecaUnavailable(result.problems)) return createLegacyConnectedApp(ctx, result.problems.join('; '));
    throw new ProvisioningError('salesforce_deploy_failed', `Salesforce could not deploy the External Client App: ${result.problems.join('; ')}. Fix what it names in Setup, then retry.`, { status: 409 });
  }

  const settings = await readMetadata<{ consumerKey?: string }>(ctx.admin, 'ExtlClntAppGlobalOauthSettings', `${APP_NAME}_glbloauth`);
  if (!settings?.consumerKey) {
    throw new ProvisioningError(
      'salesforce_deploy_failed',
      'The External Client App was deployed, but Salesforce did not reveal its consumer key. Turn on "Allow Access to OAuth Consumer Secrets via Metadata API" in Setup → External Client App Settings, then retry.',
      { status: 409 },
    );
  }
  await ctx.save({ app_kind: 'external_client_app', app_name: APP_NAME, consumer_key: settings.consumerKey });
  return { status: 'done', detail: `Deployed the External Client App ${APP_NAME}, pre-authorized for ${PERMISSION_SET_NAME}.` };
}

/** Legacy Connected App with a consumer key of our choosing, pre-authorized through SetupEntityAccess. */
async function createLegacyConnectedApp(ctx: StepContext, ecaProblem: string): Promise<StepOutcome> {
  const consumerKey = `FB${crypto.randomUUID().replace(/-/g, '')}${crypto.randomUUID().replace(/-/g, '')}`;
  const saved = await createMetadata(ctx.admin, 'ConnectedApp', {
    fullName: APP_NAME,
    label: APP_LABEL,
    contactEmail: ctx.adminIdentity.email,
    description: `${MANAGED_MARKER}: server-to-server access for Forcebridge.`,
    oauthConfig: {
      callbackUrl: 'https://login.salesforce.com/services/oauth2/success',
      certificate: await certificateFor(ctx),
      consumerKey,
      scopes: ['Api', 'RefreshToken'],
      isAdminApproved: true,
    },
  });
  if (!saved.success) {
    throw new ProvisioningError(
      'salesforce_client_app_blocked',
      `Your org accepts neither an External Client App (${ecaProblem}) nor a new Connected App (${saved.errors.map((e) => e.message).join('; ') || 'refused'}). Turn on External Client Apps in Setup → External Client App Settings, then retry.`,
      { status: 409 },
    );
  }
  const { records } = await ctx.admin.query<{ Id: string }>(`SELECT Id FROM ConnectedApplication WHERE Name = ${soqlString(APP_NAME)}`);
  if (records[0] && ctx.connection.permission_set_id) {
    await ctx.admin.sobject('SetupEntityAccess').create({ ParentId: ctx.connection.permission_set_id, SetupEntityId: records[0].Id });
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
    if (!(await readMetadata(ctx.admin, 'ExternalClientApplication', APP_NAME))) {
      await ctx.save(FORGET_APP);
      return { status: 'skipped', detail: 'There was no External Client App to delete.' };
    }
    deployId = await startDeploy(ctx.admin, clientAppDestroyZip(APP_NAME));
  }
  const result = await awaitDeploy(ctx, deployId);
  if (!result) return { status: 'waiting', detail: 'Salesforce is deleting the External Client App…', state: { deployId } };
  if (!result.success) {
    throw new ProvisioningError('salesforce_deploy_failed', `Salesforce could not delete the External Client App: ${result.problems.join('; ')}. Delete it in Setup → External Client App Manager, then retry.`, { status: 409 });
  }
  await ctx.save(FORGET_APP);
  return { status: 'done', detail: `Deleted the External Client App ${APP_NAME}; its certificate and private key are gone.` };
}
