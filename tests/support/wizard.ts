/**
 * Steps through the connector wizard the way an admin does: Next only once the wizard shows the step as current and
 * has what that step needs (the mapping's field lists are read from the org), then wait for where Next leads — the
 * following step, or the same one with the problem it states. Clicking Next on a step still loading is refused by
 * the wizard ("Wait for the org's fields to load"), which under load turned into a test that went one step short.
 */
import type { Locator } from 'playwright-core';

/** The steps as the wizard's path names them. */
export type WizardStep = 'Tables' | 'Column mapping' | 'Destination and schedule' | 'Review';

const TIMEOUT = 15_000;

/** Waits until the wizard's path marks `step` as current, and, on the mapping step, every table's fields are read. */
export async function waitForStep(wizard: Locator, step: WizardStep): Promise<void> {
  await wizard.locator('[aria-current="step"]').getByText(step, { exact: true }).waitFor({ timeout: TIMEOUT });
  if (step === 'Column mapping') await wizard.getByRole('status').filter({ hasText: /^Reading the org’s \w+ fields…$/ }).first().waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** Clicks Next on `from` once it is ready, and waits for `to` (by default `from`: Next refused, its problem shown). */
export async function clickNext(wizard: Locator, from: WizardStep, to: WizardStep = from): Promise<void> {
  await waitForStep(wizard, from);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await waitForStep(wizard, to);
}
