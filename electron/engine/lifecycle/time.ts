// Times as Egeria writes them in status reports and audit records.

/** Egeria writes times as `2021-02-02T20:57:50.647+00:00`; the status report keeps that form. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}
