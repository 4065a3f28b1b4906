/**
 * Runs a connection operation from the panel to its end: each background call does a bounded amount of work on
 * the Worker, so keep asking (`advance`) until the connection says it is done, reporting each state on the way.
 */
import type { Connection } from '../../shared/api';
import { type ConnectionActionName, type Result, askBackground } from './messages';

export async function driveConnection(
  first: ConnectionActionName,
  connectionId: string | undefined,
  onProgress: (connection: Connection) => void,
  options: { signIn?: boolean } = {},
): Promise<Result<Connection>> {
  let action = first;
  let signIn = options.signIn;
  let id = connectionId;
  for (;;) {
    const result = await askBackground('connectionAction', { action, connectionId: id, signIn });
    if (!result.ok) return result;
    onProgress(result.data);
    if (result.data.done) return result;
    action = 'advance';
    id = result.data.id;
    signIn = false;
  }
}
