/**
 * The doctor: every assumption Forcebridge makes about an org, checked read-only with an admin's access token and
 * printed as ✓/✗ with what to do. It runs the very checks the panel's pre-flight step runs
 * (worker/src/salesforce/readiness.ts), against a real org or the emulator.
 */
import { DEFAULT_MAPPINGS } from '../../shared/mapping/defaults';
import { DESTINATION_TABLES } from '../../shared/api';
import { TABLES, type SourceObject } from '../../shared/mapping/destination';
import { API_VERSION, adminConnection } from '../../worker/src/salesforce/api';
import { type ReadinessCheck, checkReadiness } from '../../worker/src/salesforce/readiness';

/** What the predefined mappings read: what a first connector needs. */
function defaultAccess(): Partial<Record<SourceObject, string[]>> {
  const access: Partial<Record<SourceObject, Set<string>>> = {};
  for (const table of DESTINATION_TABLES) {
    const fields = (access[TABLES[table].source] ??= new Set());
    for (const field of Object.values(DEFAULT_MAPPINGS[table])) fields.add(field);
  }
  return Object.fromEntries(Object.entries(access).map(([object, fields]) => [object, [...fields].sort()]));
}

export interface DoctorReport {
  ok: boolean;
  checks: ReadinessCheck[];
  text: string;
}

export async function runDoctor(options: { instanceUrl: string; accessToken: string }): Promise<DoctorReport> {
  const url = new URL(options.instanceUrl).origin;
  const conn = adminConnection({ origin: url, address: url }, options.accessToken);
  const checks = await checkReadiness(conn, { requiredAccess: defaultAccess(), apiVersion: API_VERSION });
  const ok = checks.every((c) => c.ok);
  const lines = checks.flatMap((c) => (c.ok ? [`✓ ${c.label}: ${c.detail}`] : [`✗ ${c.label}: ${c.detail}`, `    → ${c.fix ?? 'Fix what Salesforce names, then run the doctor again.'}`]));
  const summary = ok ? 'All checks passed: Turn on access can go ahead.' : `${checks.filter((c) => !c.ok).length} check(s) failed: fix them before turning access on.`;
  return { ok, checks, text: [`Forcebridge doctor for ${url} (read-only; nothing is created)`, '', ...lines, '', summary].join('\n') };
}
