/**
 * Salesforce writes datetimes as `2026-01-01T00:00:00.000+0000` (an offset without a colon, which `Date.parse` does not
 * read everywhere); we store and compare ISO 8601 in UTC. One reading of that form for the Worker and the emulator.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 */

/** Epoch milliseconds of a Salesforce datetime (or any ISO 8601 form), NaN when it is not one. */
export function salesforceDateTimeMs(raw: string): number {
  return Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** A Salesforce datetime as ISO 8601 UTC, or undefined when it is not one. */
export function salesforceDateTime(raw: string): string | undefined {
  const time = salesforceDateTimeMs(raw);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
