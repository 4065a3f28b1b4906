/**
 * "Learn more" links to the help bundled in the extension (entrypoints/help/): there is no public site to link to,
 * and bundled help works offline. Each topic is an anchor on the help page; the link opens it in a new tab.
 */
import { browser } from 'wxt/browser';

export type HelpTopic = 'salesforce-access' | 'permissions' | 'data-sync' | 'column-mapping' | 'api-budget' | 'rejects' | 'dataverse' | 'reconciliation' | 'agent-access' | 'settings';

export const helpUrl = (topic: HelpTopic) => `${browser.runtime.getURL('/help.html')}#${topic}`;

/** `about` completes the link's name for screen readers ("Learn more about rejected records"). */
export function LearnMore({ topic, about }: { topic: HelpTopic; about: string }) {
  return (
    <a class="slds-text-link fb-learn-more" href={helpUrl(topic)} target="_blank" rel="noreferrer" data-testid={`learn-more-${topic}`}>
      Learn more<span class="slds-assistive-text"> about {about}</span>
    </a>
  );
}
