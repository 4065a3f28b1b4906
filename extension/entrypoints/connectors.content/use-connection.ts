/**
 * The org's connection as the whole panel sees it: loaded once, checked for drift when the panel opens, and driven
 * through its operations here, so "Salesforce access", "Data sync" and the header never show different states.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Connection } from '../../../shared/api';
import { driveConnection } from '../../utils/drive-connection';
import { type ConnectionActionName, type Problem, askBackground } from '../../utils/messages';

export type Busy = ConnectionActionName | 'verify' | null;

export interface ConnectionHandle {
  /** undefined while loading; null when the org has none */
  connection: Connection | null | undefined;
  /** why the connection could not be loaded or the last action failed (not the connection's own lastError) */
  problem: Problem | null;
  busy: Busy;
  /** the operation this panel last started, so only its steps are shown */
  started: ConnectionActionName | null;
  /** set when Verify now finishes, for the one-line result */
  verified: Connection | null;
  run(first: ConnectionActionName, options?: { signIn?: boolean }): Promise<void>;
  verify(): Promise<void>;
  reload(): Promise<void>;
}

export function useConnection(): ConnectionHandle {
  const [connection, setConnection] = useState<Connection | null | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [started, setStarted] = useState<ConnectionActionName | null>(null);
  const [verified, setVerified] = useState<Connection | null>(null);

  const reload = useCallback(async () => {
    const result = await askBackground('listConnections');
    if (!result.ok) {
      setConnection(null);
      setProblem(result.error);
      return;
    }
    setProblem(null);
    const found = result.data[0] ?? null;
    setConnection(found);
    // Drift (a deactivated user, a removed app) is found by verifying: do it on open, not only on "Verify now".
    if (found?.status === 'connected') {
      const checked = await askBackground('verifyConnection', { connectionId: found.id });
      if (checked.ok) setConnection(checked.data);
    }
  }, []);

  useEffect(() => void reload(), [reload]);

  const run = useCallback(
    async (first: ConnectionActionName, options: { signIn?: boolean } = {}) => {
      setBusy(first);
      setStarted(first === 'advance' ? (connection?.operation ?? 'turn_on') : first);
      setVerified(null);
      setProblem(null);
      const result = await driveConnection(first, connection?.id, setConnection, options);
      if (!result.ok) setProblem(result.error);
      setBusy(null);
    },
    [connection?.id, connection?.operation],
  );

  const verify = useCallback(async () => {
    if (!connection) return;
    setBusy('verify');
    setVerified(null);
    const result = await askBackground('verifyConnection', { connectionId: connection.id });
    if (result.ok) {
      setConnection(result.data);
      setVerified(result.data);
    } else setProblem(result.error);
    setBusy(null);
  }, [connection?.id]);

  return { connection, problem, busy, started, verified, run, verify, reload };
}

/** Is access on, as the admin should read the switch? A failed turn-on is off; a failed turn-off is still on. */
export function accessIsOn(connection: Connection | null | undefined): boolean {
  if (!connection) return false;
  if (connection.status === 'off') return false;
  if (connection.operation === 'turn_off') return connection.status === 'failed';
  if (connection.operation === 'turn_on') return connection.status !== 'failed';
  return true;
}

/** The connection's state for the panel header and the popup: one word and a tone. */
export function connectionBadge(connection: Connection | null | undefined): { label: string; tone: 'success' | 'warning' | 'error' | 'neutral' | 'info' } {
  if (!connection || connection.status === 'off') return { label: 'Off', tone: 'neutral' };
  if (connection.status === 'failed') return { label: 'Error', tone: 'error' };
  if (connection.status === 'provisioning') return { label: 'Setting up', tone: 'info' };
  if (connection.status === 'deprovisioning') return { label: 'Turning off', tone: 'info' };
  if (connection.drift.length > 0) return { label: 'Needs attention', tone: 'warning' };
  return { label: 'Connected', tone: 'success' };
}
