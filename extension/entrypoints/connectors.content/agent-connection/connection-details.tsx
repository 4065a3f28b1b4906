/** Connection details, once established: what Forcebridge created in the org and when it last worked. */
import type { Connection } from '../../../../shared/api';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function ConnectionDetails({ connection }: { connection: Connection }) {
  const rows: [string, string, string][] = [
    ['Client app', `${connection.appName} (${connection.appKind === 'connected_app' ? 'Connected App' : 'External Client App'})`, 'detail-app'],
    ['Consumer key', connection.consumerKey ?? '—', 'detail-consumer-key'],
    ['Integration user', connection.integrationUsername, 'detail-user'],
    ['Permission set', connection.permissionSetName, 'detail-permission-set'],
    ['Org id', connection.orgId, 'detail-org-id'],
    ['Instance URL', connection.instanceUrl, 'detail-instance-url'],
    ['Created', when(connection.connectedAt ?? connection.createdAt), 'detail-created'],
    ['Last verified', when(connection.verifiedAt), 'detail-verified'],
  ];
  return (
    <dl class="fb-facts" aria-label="Connection details" data-testid="connection-details">
      {rows.map(([label, value, testId]) => (
        <>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </>
      ))}
    </dl>
  );
}
