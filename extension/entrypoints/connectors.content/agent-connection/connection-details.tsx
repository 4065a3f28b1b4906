/** Connection details: what Forcebridge created in the org (linked to its Setup page), keys to copy, and times. */
import type { Connection } from '../../../../shared/api';
import { CopyButton } from '../../../components/copy-button';
import { Time } from '../../../components/time';
import { setupLinks } from '../../../utils/setup-links';

export function ConnectionDetails({ connection }: { connection: Connection }) {
  const links = setupLinks(connection.instanceUrl);
  const linked = (href: string | null, text: string, testId: string) =>
    href ? (
      <a class="slds-text-link" href={href} target="_top" data-testid={testId}>
        {text}
      </a>
    ) : (
      <span data-testid={testId}>{text}</span>
    );
  return (
    <dl class="fb-facts" aria-label="Connection details" data-testid="connection-details">
      <dt>Client app</dt>
      <dd>{linked(links.clientApps(), `${connection.appName} (${connection.appKind === 'connected_app' ? 'Connected App' : 'External Client App'})`, 'detail-app')}</dd>
      <dt>Consumer key</dt>
      <dd class="fb-copyable">
        <span class="fb-mono fb-truncate" data-testid="detail-consumer-key" title={connection.consumerKey ?? undefined}>
          {connection.consumerKey ?? '—'}
        </span>
        {connection.consumerKey && <CopyButton value={connection.consumerKey} what="consumer key" />}
      </dd>
      <dt>Integration user</dt>
      <dd class="fb-copyable">
        {linked(links.user(connection.integrationUserId), connection.integrationUsername, 'detail-user')}
        <CopyButton value={connection.integrationUsername} what="integration username" />
      </dd>
      <dt>Permission set</dt>
      <dd>{linked(links.permissionSet(connection.permissionSetId), connection.permissionSetName, 'detail-permission-set')}</dd>
      <dt>Org id</dt>
      <dd class="fb-copyable">
        <span class="fb-mono" data-testid="detail-org-id">
          {connection.orgId}
        </span>
        <CopyButton value={connection.orgId} what="org id" />
      </dd>
      <dt>Instance URL</dt>
      <dd data-testid="detail-instance-url">{connection.instanceUrl}</dd>
      <dt>Created</dt>
      <dd>
        <Time iso={connection.createdAt} testId="detail-created" />
      </dd>
      <dt>Last connected</dt>
      <dd>
        <Time iso={connection.connectedAt} testId="detail-connected" />
      </dd>
      <dt>Last verified</dt>
      <dd>
        <Time iso={connection.verifiedAt} testId="detail-verified" />
      </dd>
    </dl>
  );
}
