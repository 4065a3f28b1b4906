/** How a Dataverse connection and a connector's destination read in the panel and the popup: the same words in both. */
import type { ConnectorDestination } from '../../../../shared/api';
import type { DataverseConnection } from '../../../../shared/dataverse';
import type { BadgeTone } from '../../../components/alert';

export const environmentHost = (connection: Pick<DataverseConnection, 'environmentUrl'>) => new URL(connection.environmentUrl).hostname;

export function dataverseBadge(connection: DataverseConnection): { label: string; tone: BadgeTone } {
  switch (connection.status) {
    case 'connected':
      return { label: 'Connected', tone: 'success' };
    case 'failed':
      return { label: 'Test failed', tone: 'error' };
    case 'untested':
      return { label: 'Not tested', tone: 'warning' };
  }
}

/** What the admin should do next with a connection that is not connected yet, or null. */
export function dataverseNextStep(connection: DataverseConnection): string | null {
  if (connection.status === 'connected') return null;
  if (connection.status === 'failed') return null; // the last error says what to fix
  return connection.certificate
    ? 'Upload the certificate below to the app registration, then select Test connection.'
    : 'Select Test connection to check the secret and find the application user.';
}

/** One line saying where a connector writes. */
export function destinationLabel(destination: ConnectorDestination, team: string, connections: DataverseConnection[] | undefined): string {
  if (destination.kind === 'd1') return `Writes to D1 (the Worker’s database), rows owned by team ${team}`;
  const connection = connections?.find((c) => c.id === destination.dataverseConnectionId);
  const where = connection ? environmentHost(connection) : 'a Dataverse environment';
  return `Writes to Dataverse ${where}, rows owned by team ${team}`;
}
