/** Screenshots of a state at the three widths admins use, into test-results/screenshots/. */
import type { Page } from 'playwright-core';

const SHOTS = 'test-results/screenshots';

export async function shootWidths(page: Page, name: string) {
  for (const width of [1280, 1440, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}
