/**
 * The org's daily API request allowance (Setup → Company Information → API Requests, Last 24 Hours). Every REST,
 * SOAP and Bulk 2.0 request counts once, a composite request counts once for all its subrequests, OAuth token
 * requests don't count (https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/
 * salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm). Each response says where the org stands
 * in `Sforce-Limit-Info: api-usage=USED/MAX`; once USED reaches MAX, calls answer 403 REQUEST_LIMIT_EXCEEDED.
 * The window does not roll: tests set usage explicitly.
 */
import { recordedJson } from './recordings';

/** Developer Edition's allowance (limits/limits.camel.json: DailyApiRequests Max 15000). */
export const DEFAULT_DAILY_API_REQUESTS = 15_000;

export class ApiLimits {
  used = 0;

  constructor(public max: number = DEFAULT_DAILY_API_REQUESTS) {}

  get exhausted(): boolean {
    return this.used >= this.max;
  }

  /** Records one call; false (and nothing recorded) when the allowance is already used up. */
  take(): boolean {
    if (this.exhausted) return false;
    this.used++;
    return true;
  }

  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  /** The `/limits` body: the recorded shape (limits/limits.camel.json) with DailyApiRequests from this counter. */
  limitsBody(): Record<string, { Max: number; Remaining: number }> {
    const body = structuredClone(recordedJson<Record<string, { Max: number; Remaining: number }>>('limits/limits.camel.json'));
    body.DailyApiRequests = { Max: this.max, Remaining: Math.max(0, this.max - this.used) };
    return body;
  }
}
