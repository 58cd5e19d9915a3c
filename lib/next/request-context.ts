import type { AuditContext } from '../audit/record';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reads a header value safe to copy into an audit record (bounded, printable), or `undefined`. */
function printable(value: string | null, max: number): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim().slice(0, max);
  return /^[\x20-\x7e]+$/.test(trimmed) ? trimmed : undefined;
}

/**
 * The audit context of a request: its target, a request id (the caller's `x-request-id` when it is 1–128
 * characters of `A–Z a–z 0–9 . _ : -`, else a fresh UUID), the client address and user agent. The address comes
 * from `x-forwarded-for` / `x-real-ip`, which only a trusted proxy makes reliable: it is recorded for
 * investigation, never used to decide.
 *
 * The one way app code turns request headers into audit fields: the middleware and `withSessionMfa` use it too,
 * so a client-chosen header (a 6,000-character id, markup, a spreadsheet formula, control characters) never
 * reaches the audit trail as given.
 * @example
 * ```ts title="app/logout/route.ts"
 * await sessionMfa.removeVerification({ sid, userId }, { ...auditContextOf(request.headers, 'GET /logout'), reason: 'sign_out' });
 * ```
 * @example
 * ```ts title="a server action"
 * const { requestId } = auditContextOf(await headers(), 'step-up');
 * ```
 */
export function auditContextOf(headers: Headers, target: string): AuditContext {
  const given = headers.get('x-request-id');
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0] ?? headers.get('x-real-ip');
  const ip = printable(forwarded ?? null, 64);
  const userAgent = printable(headers.get('user-agent'), 256);
  return {
    target,
    requestId: given && REQUEST_ID.test(given) ? given : crypto.randomUUID(),
    ...(ip && /^[0-9a-fA-F:.]+$/.test(ip) ? { ip } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}
