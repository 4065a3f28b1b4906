/**
 * Runs a connection operation step by step with the admin's authority, recording each step in D1. Work per request
 * is bounded: when the time is up, or a step is waiting on Salesforce, it returns and the next request (the panel
 * asks again with the admin's session) carries on from the recorded state. A failed step is retried from where it
 * stopped, and every step checks what exists first, so attempts heal rather than fail on duplicates.
 */
import type { ConnectionOperation } from '../../../../shared/api';
import { nowIso as now } from '../../clock';
import { type ConnectionRow, listSteps, planSteps, updateConnection, updateStep } from '../../db/connections';
import { stopConnectorsOfConnectionStatement } from '../../db/connectors';
import { parseStepState } from '../../db/stored-json';
import { releaseLease, takeLease } from '../../db/leases';
import { AppError } from '../../errors';
import type { StepContext } from './context';
import { explain } from './explain';
import { OPERATION_STEPS, STEPS, type StepName } from './operations';

/** Leaves room inside a Worker request for the answer; waiting steps hand back before this. */
export const REQUEST_BUDGET_MS = 20_000;

const NO_ERROR = { last_error_step: null, last_error_code: null, last_error_message: null };

async function startOperation(db: D1Database, connection: ConnectionRow, operation: ConnectionOperation): Promise<void> {
  await planSteps(db, connection.id, operation, OPERATION_STEPS[operation]);
  const patch = { operation, status: operation === 'turn_off' ? ('deprovisioning' as const) : ('provisioning' as const), ...NO_ERROR };
  await updateConnection(db, connection.id, patch);
  Object.assign(connection, patch);
}

export interface OperationInput extends Pick<StepContext, 'env' | 'connection' | 'admin' | 'adminIdentity' | 'org' | 'requiredAccess'> {
  /** starts this operation first (replacing the recorded steps); without it, the current one carries on */
  start?: ConnectionOperation;
  budgetMs?: number;
}

/**
 * Starts (optionally) and carries the connection's operation forward, holding the connection's lease so two
 * requests never work it at once. Resolves when done, failed, or out of time for this request.
 */
export async function runOperation(input: OperationInput): Promise<void> {
  const { env, connection } = input;
  const deadline = Date.now() + (input.budgetMs ?? REQUEST_BUDGET_MS);
  if (!(await takeLease(env.DB, 'connections', connection.id, new Date(deadline + 30_000)))) {
    throw new AppError('connection_busy', 409, 'Another request is already working on this connection. The panel shows its progress; try again when it finishes.');
  }
  try {
    if (input.start) await startOperation(env.DB, connection, input.start);
    if (connection.status === 'failed') {
      // A retry is a new attempt: the last attempt's error no longer describes the connection.
      const resumed = { status: connection.operation === 'turn_off' ? ('deprovisioning' as const) : ('provisioning' as const), ...NO_ERROR };
      await updateConnection(env.DB, connection.id, resumed);
      Object.assign(connection, resumed);
    }
    for (const step of await listSteps(env.DB, connection.id)) {
      if (step.status === 'done' || step.status === 'skipped') continue;
      if (Date.now() >= deadline) return;
      const name = step.step as StepName;
      await updateStep(env.DB, connection.id, name, { status: 'running', started_at: step.started_at ?? now(), error_code: null, error_message: null });
      const ctx: StepContext = {
        ...input,
        state: parseStepState(step.state),
        deadline,
        save: async (patch) => {
          await updateConnection(env.DB, connection.id, patch);
          Object.assign(connection, patch);
        },
      };
      let outcome;
      try {
        outcome = await STEPS[name].run(ctx);
      } catch (error) {
        await recordFailure(env.DB, connection, name, error);
        return;
      }
      if (outcome.status === 'waiting') {
        await updateStep(env.DB, connection.id, name, { detail: outcome.detail, state: JSON.stringify(outcome.state) });
        return;
      }
      await updateStep(env.DB, connection.id, name, { status: outcome.status, detail: outcome.detail, finished_at: now() });
    }
    // Success clears whatever error an earlier attempt left, so nothing shows a stale failure beside a working connection.
    const finished = connection.operation === 'turn_off' ? { status: 'off' as const, ...NO_ERROR } : { status: 'connected' as const, connected_at: now(), ...NO_ERROR };
    await updateConnection(env.DB, connection.id, finished);
    // Access is off: the org's connectors stop until an admin turns access on and activates them again.
    if (finished.status === 'off') await stopConnectorsOfConnectionStatement(env.DB, connection.id).run();
    Object.assign(connection, finished);
  } finally {
    await releaseLease(env.DB, 'connections', connection.id);
  }
}

async function recordFailure(db: D1Database, connection: ConnectionRow, step: StepName, error: unknown): Promise<void> {
  const explained = explain(error, STEPS[step].label);
  const known = explained instanceof AppError;
  if (!known) console.error(`provisioning: step ${step} of connection ${connection.id} failed`, error);
  const code = known ? explained.code : 'internal_error';
  const message = known ? explained.message : `An unexpected error stopped "${STEPS[step].label}". It has been logged; retry, and if it persists check the Worker logs.`;
  await updateStep(db, connection.id, step, { status: 'failed', error_code: code, error_message: message, finished_at: now() });
  const patch = { status: 'failed' as const, last_error_step: step, last_error_code: code, last_error_message: message };
  await updateConnection(db, connection.id, patch);
  Object.assign(connection, patch);
}
