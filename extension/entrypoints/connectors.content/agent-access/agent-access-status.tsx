/** The popup's line about agent access: on or off, and when an agent last called (relative, exact on hover). */
import { badgeClass } from '../../../components/alert';
import { Time } from '../../../components/time';
import { useBackground } from '../../../utils/use-background';

export function AgentAccessStatus() {
  const [access] = useBackground('getAgentAccess');
  if (access.state === 'loading' || !access.result.ok) return null;
  const { enabled, lastUsedAt } = access.result.data;
  return (
    <p data-testid="popup-agent-access">
      <span class="slds-assistive-text">Agent access: </span>
      <span class={badgeClass(enabled ? 'success' : 'neutral')}>{enabled ? 'on' : 'off'}</span>
      {enabled && (
        <span class="slds-text-color_weak">
          {' · '}
          {lastUsedAt ? (
            <>
              last used <Time iso={lastUsedAt} />
            </>
          ) : (
            'not used yet'
          )}
        </span>
      )}
    </p>
  );
}
