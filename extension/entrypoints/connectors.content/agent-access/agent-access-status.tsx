/** The popup's line about agent access: on or off, and when an agent last called. */
import { useBackground } from '../../../utils/use-background';

export function AgentAccessStatus() {
  const [access] = useBackground('getAgentAccess');
  if (access.state === 'loading' || !access.result.ok) return null;
  const { enabled, lastUsedAt } = access.result.data;
  return (
    <p class="fb-muted" data-testid="popup-agent-access">
      Agent access: {enabled ? `on · ${lastUsedAt ? `last used ${new Date(lastUsedAt).toLocaleString()}` : 'not used yet'}` : 'off'}
    </p>
  );
}
