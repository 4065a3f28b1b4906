/**
 * Verification and drift: sign in as the integration user (JWT bearer) and look at Salesforce through its eyes.
 * The describe it gets shows exactly the objects and fields its permissions allow, so comparing that with what the
 * mapping needs finds a deleted app, a removed assignment or a permission edited away in Setup.
 */
import type { DriftFinding } from '../../../../shared/api';
import type { SourceObject } from '../../../../shared/mapping/destination';
import type { ConnectionRow } from '../../db/connections';
import { saveApiUsageStatement } from '../../db/sync-runs';
import { asSalesforceError } from '../errors';
import { freshIntegrationToken, integrationSession } from '../integration-session';
import type { StepContext, StepOutcome } from './context';
import { ProvisioningError } from './explain';
import { APP_NAME, PERMISSION_SET_NAME } from './names';
import type { RequiredAccess } from './permission-set-plan';

/** New apps take a few minutes to reach every Salesforce server; until then the token endpoint does not know them. */
const PROPAGATION_GRACE_MS = 10 * 60 * 1000;

function jwtFinding(error: unknown): DriftFinding {
  const sf = asSalesforceError(error);
  const text = `${sf?.errorCode ?? ''} ${sf?.message ?? String(error)}`;
  // An admin-approved app answers a user it is not pre-authorized for with invalid_app_access, "user is not admin
  // approved to access this app" (the text public tools report from real External Client Apps).
  if (/invalid_app_access|not admin approved/i.test(text)) {
    return {
      kind: 'not_pre_authorized',
      message: `Salesforce refused the integration user's sign-in because the user is not admin approved for the ${APP_NAME} app (${text.trim()}). In Setup → External Client App Manager → ${APP_NAME} → Edit Policies, check that Permitted Users is "Admin approved users are pre-authorized" and that ${PERMISSION_SET_NAME} is among the selected permission sets, and that the integration user holds ${PERMISSION_SET_NAME} (Setup → Users).`,
    };
  }
  if (/invalid_client/i.test(text)) return { kind: 'client_app_missing', message: `Salesforce no longer knows the Forcebridge client app (${text.trim()}).` };
  if (/inactive/i.test(text)) return { kind: 'user_inactive', message: `The Forcebridge integration user is inactive (${text.trim()}).` };
  if (/approved|pre-?authori/i.test(text)) return { kind: 'not_pre_authorized', message: `The integration user is not pre-authorized for the client app any more: its permission set or assignment changed (${text.trim()}).` };
  return { kind: 'verification_failed', message: `Signing in as the integration user failed (${text.trim()}).` };
}

/**
 * What the integration user cannot read of what the mappings need. Fields without field permissions (Id, names)
 * come with object access, so every needed field must be in the integration user's describe. Empty when all is well.
 */
export async function findDrift(env: Env, connection: ConnectionRow, required: RequiredAccess): Promise<DriftFinding[]> {
  try {
    await freshIntegrationToken(env, connection);
  } catch (error) {
    return [jwtFinding(error)];
  }
  const conn = await integrationSession(env, connection);
  const findings: DriftFinding[] = [];
  for (const [sobject, fields] of Object.entries(required) as [SourceObject, readonly string[]][]) {
    let visible: Set<string>;
    try {
      visible = new Set((await conn.sobject(sobject).describe()).fields.map((f) => f.name));
      await conn.query(`SELECT Id FROM ${sobject} LIMIT 1`);
    } catch (error) {
      findings.push({ kind: 'object_access_missing', object: sobject, message: `The integration user cannot read ${sobject} (${asSalesforceError(error)?.message ?? String(error)}).` });
      continue;
    }
    const missing = fields.filter((f) => !visible.has(f));
    if (missing.length > 0) {
      findings.push({ kind: 'field_access_missing', object: sobject, fields: missing, message: `The integration user cannot read ${missing.length} mapped ${sobject} field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` });
    }
  }
  // The org's API usage as these calls saw it: the sync's budget check has a reading before its first call.
  const usage = conn.limitInfo?.apiUsage;
  if (usage) await saveApiUsageStatement(env.DB, connection.id, { used: usage.used, max: usage.limit }, new Date().toISOString()).run();
  return findings;
}

/** The last step of Turn on / Reconnect / Update permissions: the connection works as the sync will use it. */
export async function verifyConnection(ctx: StepContext): Promise<StepOutcome> {
  const firstTry = (ctx.state.firstTry as number | undefined) ?? Date.now();
  const findings = await findDrift(ctx.env, ctx.connection, ctx.requiredAccess);
  // A sign-in refused as "not admin approved" is a policy answer, not an app still rolling out: say so at once.
  const refusedApproval = findings.some((f) => f.kind === 'not_pre_authorized' && /not admin approved/i.test(f.message));
  const signIn = findings.find((f) => f.kind === 'client_app_missing' || f.kind === 'verification_failed' || f.kind === 'not_pre_authorized');
  if (signIn && !refusedApproval && Date.now() - firstTry < PROPAGATION_GRACE_MS) {
    return { status: 'waiting', detail: 'Waiting for Salesforce to roll the new client app out to its servers (this can take a few minutes)…', state: { firstTry } };
  }
  if (findings.length > 0) {
    const next = refusedApproval ? 'Fix the policy in Setup, then retry.' : 'Recreate the connection to rebuild it.';
    throw new ProvisioningError('salesforce_verification_failed', `Forcebridge could not verify the connection: ${findings.map((f) => f.message).join(' ')} ${next}`, { status: 409 });
  }
  const objects = Object.keys(ctx.requiredAccess) as SourceObject[];
  const verifiedAt = new Date().toISOString();
  await ctx.save({ verified_at: verifiedAt, drift: '[]' });
  return { status: 'done', detail: `Signed in as the integration user with the JWT bearer flow and read ${objects.join(' and ')}.` };
}
