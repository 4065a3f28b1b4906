/** The current moment as ISO 8601 UTC, the form every timestamp column holds. */
export const nowIso = () => new Date().toISOString();
