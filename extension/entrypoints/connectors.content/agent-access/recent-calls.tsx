/** The last agent tool calls as a table: when (relative), which credential, which tool and how it went, rows, API calls. */
import type { AgentCall } from '../../../../shared/agent-api';
import { badgeClass } from '../../../components/alert';
import { Time } from '../../../components/time';

const OUTCOME: Record<Exclude<AgentCall['outcome'], 'ok'>, { label: string; tone: 'error' | 'warning' }> = {
  error: { label: 'Error', tone: 'error' },
  rate_limited: { label: 'Rate limited', tone: 'warning' },
};

export function RecentCalls({ calls }: { calls: AgentCall[] }) {
  return (
    <>
      <h4 class="fb-subheading">Recent calls</h4>
      {calls.length === 0 ? (
        <p class="slds-text-color_weak" data-testid="no-agent-calls">
          No agent has called yet.
        </p>
      ) : (
        // Focusable so a keyboard can scroll the table sideways in a narrow panel.
        <div class="fb-history" tabIndex={0} role="region" aria-label="Recent agent calls">
          <table class="slds-table slds-table_bordered slds-table_col-bordered fb-table--compact" aria-label="Recent agent calls, newest first" data-testid="agent-calls">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Agent</th>
                <th scope="col">Tool</th>
                <th scope="col">Rows</th>
                <th scope="col">API calls</th>
              </tr>
            </thead>
            <tbody>
              {calls.slice(0, 15).map((call) => (
                <tr key={`${call.calledAt}-${call.credentialId}-${call.tool}`} class={call.outcome === 'error' ? 'fb-row--error' : undefined}>
                  <td>
                    <Time iso={call.calledAt} />
                  </td>
                  <td>{call.credentialName ?? call.credentialId}</td>
                  <td>
                    <span title={call.arguments}>{call.tool}</span>
                    {call.outcome !== 'ok' && (
                      <>
                        {' '}
                        <span class={badgeClass(OUTCOME[call.outcome].tone)} title={call.errorMessage ?? undefined}>
                          {OUTCOME[call.outcome].label}
                        </span>
                        {call.errorMessage && <span class="fb-block">{call.errorMessage}</span>}
                      </>
                    )}
                  </td>
                  <td>{call.rowsReturned.toLocaleString('en-US')}</td>
                  <td>{call.salesforceApiCalls.toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
