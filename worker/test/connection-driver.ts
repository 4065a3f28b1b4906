/** Drives connection operations through the API the way the panel does: call, then `advance` until done. */
import { type Connection, ConnectionSchema } from '../../shared/api';
import { adminSession } from './emulator';
import { call } from './helpers';

type Session = Awaited<ReturnType<typeof adminSession>>;

export async function post(key: string, path: string, body: unknown) {
  return call(path, { method: 'POST', key, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/** Runs an operation to the end; answers the final connection, or the error response of the first call. */
export async function drive(key: string, first: string, session?: Session): Promise<Connection> {
  const auth = session ?? (await adminSession());
  let response = await post(key, first, { session: auth });
  for (let i = 0; i < 20; i++) {
    if (!response.ok) throw new Error(`${first} → ${response.status} ${await response.text()}`);
    const connection = ConnectionSchema.parse(await response.json());
    if (connection.done) return connection;
    response = await post(key, `/api/connections/${connection.id}/advance`, { session: auth });
  }
  throw new Error(`${first} did not finish in 20 calls`);
}

export const turnOn = (key: string, session?: Session) => drive(key, '/api/connections', session);
export const turnOff = (key: string, id: string) => drive(key, `/api/connections/${id}/turn-off`);
export const reconnect = (key: string, id: string) => drive(key, `/api/connections/${id}/reconnect`);
export const updatePermissions = (key: string, id: string) => drive(key, `/api/connections/${id}/update-permissions`);
