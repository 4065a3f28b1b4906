/**
 * The axe-core audit the browser tests run on every state of the panel, the popup and the options page: no
 * serious or critical violation may be found. On the Setup page only the panel is audited (the emulated Setup
 * page is not ours to fix); axe reads into the panel's open shadow root.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export async function seriousViolations(page: Page, scope?: string) {
  let builder = new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (scope) builder = builder.include(scope);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** The panel's shadow host: the content script UI's element name. */
export const PANEL = 'forcebridge-connectors';
