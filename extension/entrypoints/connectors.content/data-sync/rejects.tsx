/** Records the sync could not write: each with its reason and a link to the record in Salesforce, exportable as CSV. */
import Papa from 'papaparse';
import type { Reject } from '../../../../shared/api';
import { TABLES } from '../../../../shared/mapping/destination';
import { EmptyState } from '../../../components/alert';
import { Time } from '../../../components/time';
import { setupLinks } from '../../../utils/setup-links';

const objectOf = (table: string) => TABLES[table as keyof typeof TABLES]?.source ?? table;

export function rejectsCsv(rejects: Reject[], instanceUrl: string): string {
  const links = setupLinks(instanceUrl);
  return Papa.unparse({
    fields: ['table', 'salesforce_id', 'link', 'reason', 'rejected_at'],
    data: rejects.map((r) => [r.table, r.salesforceId, links.record(objectOf(r.table), r.salesforceId) ?? '', r.reason, r.rejectedAt]),
  });
}

export function Rejects({ rejects, instanceUrl, connectorName, destination = 'd1' }: { rejects: Reject[]; instanceUrl: string; connectorName: string; destination?: 'd1' | 'dataverse' }) {
  if (rejects.length === 0) return <EmptyState title="No rejected records: every record Salesforce sent could be written." testId="no-rejects" />;
  // For Dataverse, the reason is what Dataverse answered for that record: its error code and message.
  const links = setupLinks(instanceUrl);
  const download = () => {
    const url = URL.createObjectURL(new Blob([rejectsCsv(rejects, instanceUrl)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${connectorName.replace(/[^\w-]+/g, '-').toLowerCase()}-rejects.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div data-testid="rejects">
      <table class="slds-table slds-table_bordered slds-table_col-bordered fb-table--compact" aria-label="Rejected records">
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">{destination === 'dataverse' ? 'Reason (Dataverse’s code and message)' : 'Reason'}</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {rejects.map((r) => {
            const href = links.record(objectOf(r.table), r.salesforceId);
            return (
              <tr key={`${r.table}-${r.salesforceId}`} data-testid="reject-row">
                <td>
                  {objectOf(r.table)}{' '}
                  {href ? (
                    <a class="slds-text-link fb-mono" href={href} target="_blank" rel="noreferrer" data-testid="reject-link">
                      {r.salesforceId}
                    </a>
                  ) : (
                    <span class="fb-mono">{r.salesforceId}</span>
                  )}
                </td>
                <td>{r.reason}</td>
                <td>
                  <Time iso={r.rejectedAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="slds-text-color_weak">A rejected record is tried again the next time it changes in Salesforce.</p>
      <button class="slds-button slds-button_neutral" type="button" onClick={download} data-testid="export-rejects">
        Export CSV
      </button>
    </div>
  );
}
