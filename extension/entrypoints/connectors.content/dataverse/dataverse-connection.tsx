/**
 * One Dataverse connection: its environment and state, the application user it signs in as, the last error with
 * what to fix (the Worker's words), the certificate to upload while it is not connected, and Test / Remove.
 */
import type { DataverseConnection } from '../../../../shared/dataverse';
import { badgeClass } from '../../../components/alert';
import { Time } from '../../../components/time';
import { CertificateDetails } from './certificate-details';
import { dataverseBadge, dataverseNextStep, environmentHost } from './connection-status';
import { DataverseProblem } from './dataverse-problem';

export function DataverseConnectionItem(props: { connection: DataverseConnection; busy: boolean; onTest: () => void; onRemove: () => void }) {
  const c = props.connection;
  const badge = dataverseBadge(c);
  const host = environmentHost(c);
  const next = dataverseNextStep(c);
  const user = c.applicationUser;
  return (
    <article class="slds-card fb-card" data-testid="dataverse-connection" data-status={c.status} aria-labelledby={`fb-dv-${c.id}`}>
      <header class="fb-card__header">
        <h4 id={`fb-dv-${c.id}`} class="fb-truncate" title={c.environmentUrl}>
          {host}
        </h4>
        <span class={badgeClass(badge.tone)} data-testid="dataverse-status">
          {badge.label}
        </span>
      </header>
      <dl class="fb-facts" aria-label={`Details of ${host}`}>
        <dt>Signs in as</dt>
        <dd data-testid="application-user">
          {user ? `${user.name}${user.businessUnitName ? ` (business unit ${user.businessUnitName})` : ''}` : <span class="slds-text-color_weak">not known until Test connection passes</span>}
        </dd>
        <dt>App</dt>
        <dd class="fb-mono fb-truncate" title={`client ${c.clientId} in tenant ${c.tenantId}`}>
          {c.clientId}
        </dd>
        <dt>Credential</dt>
        <dd>{c.credential === 'certificate' ? 'Certificate (private key kept in the Worker)' : 'Client secret (sealed in the Worker)'}</dd>
        {c.testedAt && (
          <>
            <dt>Tested</dt>
            <dd>
              <Time iso={c.testedAt} />
            </dd>
          </>
        )}
      </dl>
      {c.status === 'failed' && c.lastError && <DataverseProblem problem={c.lastError} testId="dataverse-error" live={false} />}
      {next && <p class="slds-text-color_weak">{next}</p>}
      {c.certificate && (
        <details class="fb-details" open={c.status !== 'connected' ? true : undefined}>
          <summary>Certificate to upload</summary>
          <CertificateDetails connection={c} />
        </details>
      )}
      <div class="fb-actions">
        <button class={`slds-button ${c.status === 'connected' ? 'slds-button_neutral' : 'slds-button_brand'}`} type="button" onClick={props.onTest} disabled={props.busy} data-testid="test-dataverse">
          Test connection
        </button>
        <button class="slds-button slds-button_neutral" type="button" onClick={props.onRemove} disabled={props.busy} aria-label={`Remove ${host}…`}>
          Remove…
        </button>
      </div>
    </article>
  );
}
