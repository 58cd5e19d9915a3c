/**
 * Step-up failures that are not the user's fault (a limiter, ledger or WorkOS failure) on stderr: one line per
 * kind and minute at most, with the count of those in between, so an outage is visible without a line per
 * request. The cause is cut to one line and stripped of anything that could be a code or a token.
 */

/** Least time between two lines for one kind, in milliseconds. */
const REPORT_INTERVAL_MS = 60_000;

const last = new Map<string, { at: number; suppressed: number }>();

/**
 * The cause as one safe line: no `command was: …` tail (Upstash errors repeat the command, and a used-code key
 * holds the code), no digit runs that could be a one-time code, no JWTs or bearer tokens, at most 300 characters.
 */
export function safeCause(cause: unknown): string {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  const line = (text.split('\n', 1)[0] ?? '')
    .replace(/,? ?command was:.*$/i, '')
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[token]')
    .replace(/\b(bearer|token)\s+\S+/gi, '$1 [redacted]')
    .replace(/(?<![\w-])\d{6,8}(?![\w-])/g, '[digits]');
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Reports that a step-up or enrollment step failed because `kind` (e.g. `attempt limiter`, `ledger`) failed, with
 * its cause: at most once a minute per kind.
 */
export function reportUnavailable(kind: string, cause: unknown, now: number = Date.now()): void {
  const entry = last.get(kind);
  if (entry && now - entry.at < REPORT_INTERVAL_MS) {
    entry.suppressed += 1;
    return;
  }
  const more = entry && entry.suppressed > 0 ? ` (${entry.suppressed} more since the last report)` : '';
  last.set(kind, { at: now, suppressed: 0 });
  console.error(`[session-mfa] step-up unavailable: ${kind} failed: ${safeCause(cause)}${more}`);
}
