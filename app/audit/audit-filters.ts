import type { AuditQuery } from 'authkit-session-mfa/audit';

/** How many records the page shows at most (newest first). */
export const AUDIT_PAGE_LIMIT = 200;

/** Default range of the page: the last 24 hours. */
const DEFAULT_SPAN_MS = 24 * 3600 * 1000;

/** The page's filters as the form shows them (UTC `YYYY-MM-DDTHH:mm`), and the query they make. */
export interface AuditFilters {
  readonly user: string;
  readonly decision: '' | 'allow' | 'step_up' | 'deny';
  readonly since: string;
  readonly until: string;
  readonly query: AuditQuery;
}

type SearchParams = Readonly<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined): string =>
  (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();

/** `YYYY-MM-DDTHH:mm` in UTC, the value format of `<input type="datetime-local">`. */
export function toUtcInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

function fromUtcInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}:00Z`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Reads the filters from the URL. Unusable values fall back to defaults (last 24 h, everyone, any decision);
 * the organization is never taken from the URL: an admin sees their own organization's records only.
 */
export function parseAuditFilters(params: SearchParams, organizationId: string, nowMs: number): AuditFilters {
  const user = first(params.user);
  const decisionParam = first(params.decision);
  const decision =
    decisionParam === 'allow' || decisionParam === 'step_up' || decisionParam === 'deny' ? decisionParam : '';
  let until = fromUtcInput(first(params.until)) ?? nowMs;
  let since = fromUtcInput(first(params.since)) ?? until - DEFAULT_SPAN_MS;
  if (since >= until) [since, until] = [until - DEFAULT_SPAN_MS, until];
  // The form's inputs have minute precision: include the whole "until" minute.
  const untilExclusive = until === nowMs ? nowMs + 1 : until + 60_000;
  return {
    user: /^[A-Za-z0-9_-]{1,128}$/.test(user) ? user : '',
    decision,
    since: toUtcInput(since),
    until: toUtcInput(until),
    query: {
      since,
      until: untilExclusive,
      organizationId,
      ...(/^[A-Za-z0-9_-]{1,128}$/.test(user) ? { userId: user } : {}),
      ...(decision ? { decision, type: 'decision' as const } : {}),
      limit: AUDIT_PAGE_LIMIT,
    },
  };
}
