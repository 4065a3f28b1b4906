/** The drift check as the API and the cron run it: look through the integration user's eyes and record what drifted. */
import { requiredAccessFor } from '../../connectors/required-access';
import { type ConnectionRow, updateConnection } from '../../db/connections';
import { findDrift } from './verify';

export async function verifyDrift(env: Env, row: ConnectionRow): Promise<ConnectionRow> {
  const drift = await findDrift(env, row, await requiredAccessFor(env.DB, row.id));
  const patch = { drift: JSON.stringify(drift), verified_at: drift.length === 0 ? new Date().toISOString() : row.verified_at };
  await updateConnection(env.DB, row.id, patch);
  return { ...row, ...patch };
}
