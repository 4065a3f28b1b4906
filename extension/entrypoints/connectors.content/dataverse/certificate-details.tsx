/**
 * The public certificate of a certificate connection, to upload to the Entra ID app registration: thumbprint, the
 * PEM (copy or download as a .cer file) and the Worker's exact steps. The private key never leaves the Worker.
 * https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials?tabs=certificate
 */
import type { DataverseConnection } from '../../../../shared/dataverse';
import { CopyButton } from '../../../components/copy-button';
import { Time } from '../../../components/time';

export function CertificateDetails({ connection }: { connection: DataverseConnection }) {
  const certificate = connection.certificate;
  if (!certificate) return null;
  const pemId = `fb-dv-pem-${connection.id}`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([certificate.pem], { type: 'application/x-x509-ca-cert' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'forcebridge-dataverse.cer';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div data-testid="dataverse-certificate">
      <dl class="fb-facts" aria-label="Certificate">
        <dt>Thumbprint</dt>
        <dd class="fb-copyable">
          <span class="fb-mono fb-truncate" data-testid="certificate-thumbprint" title={certificate.thumbprint}>
            {certificate.thumbprint}
          </span>
          <CopyButton value={certificate.thumbprint} what="thumbprint" />
        </dd>
        {certificate.expiresAt && (
          <>
            <dt>Expires</dt>
            <dd>
              <Time iso={certificate.expiresAt} />
            </dd>
          </>
        )}
      </dl>
      <ol class="slds-list_ordered fb-upload-steps" aria-label="Upload the certificate" data-testid="certificate-steps">
        {certificate.uploadSteps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <div class="slds-form-element fb-field">
        <label class="slds-form-element__label" for={pemId}>
          Public certificate (PEM)
        </label>
        <div class="slds-form-element__control">
          <textarea id={pemId} class="slds-textarea fb-mono fb-pem" readOnly rows={5} value={certificate.pem} data-testid="certificate-pem" />
        </div>
      </div>
      <div class="fb-actions">
        <button class="slds-button slds-button_neutral" type="button" onClick={download} data-testid="download-certificate">
          Download .cer
        </button>
        <CopyButton value={certificate.pem} what="certificate" />
      </div>
    </div>
  );
}
