/**
 * What the demo must answer, per kind of session and endpoint. A response is right only when its status, its
 * redirect target and (for JSON) its reason all match; anything else counts as a wrong decision.
 */

/** How a session stands with respect to MFA. */
export type SessionKind =
  /** Step-up 1 minute ago: passes the admin area (12 h) and key rotation (10 min). */
  | 'mfa'
  /** Step-up 20 minutes ago: passes the admin area, not key rotation. */
  | 'admin-only'
  /** Step-up 13 hours ago: passes nothing. */
  | 'stale'
  /** Signed in, never stepped up. */
  | 'none'
  /** Its ledger key holds another user's entry. */
  | 'foreign'
  /** Signed out through /logout; the old cookie is replayed. */
  | 'revoked'
  /** No cookie at all. */
  | 'signed-out'
  /** A cookie sealed with another password. */
  | 'forged';

export const KINDS: readonly SessionKind[] = ['mfa', 'admin-only', 'stale', 'none', 'foreign', 'revoked', 'signed-out', 'forged'];

/** Seconds since the ledger entry's `verifiedAt`, for the kinds that have one of their own. */
export const ENTRY_AGE: Partial<Record<SessionKind, number>> = { mfa: 60, 'admin-only': 20 * 60, stale: 13 * 3600 };

export type Endpoint = 'page /admin' | 'page /admin/keys' | 'GET /api/admin/report' | 'GET /api/session-mfa' | 'POST /api/admin/keys/rotate' | 'page /';
export const ENDPOINTS: readonly Endpoint[] = ['page /admin', 'page /admin/keys', 'GET /api/admin/report', 'GET /api/session-mfa', 'POST /api/admin/keys/rotate', 'page /'];

type Reason = 'verified' | 'stale' | 'no_evidence' | 'foreign_user';
const signedIn = (k: SessionKind) => k !== 'signed-out' && k !== 'forged';

/** The reason each policy decides for a signed-in kind. */
function reasons(kind: SessionKind): { admin: Reason; rotateKeys: Reason } {
  switch (kind) {
    case 'mfa':
      return { admin: 'verified', rotateKeys: 'verified' };
    case 'admin-only':
      return { admin: 'verified', rotateKeys: 'stale' };
    case 'stale':
      return { admin: 'stale', rotateKeys: 'stale' };
    case 'foreign':
      return { admin: 'foreign_user', rotateKeys: 'foreign_user' };
    default:
      return { admin: 'no_evidence', rotateKeys: 'no_evidence' };
  }
}

/** The request for `endpoint`. */
export function requestFor(endpoint: Endpoint, baseUrl: string, cookie: string | undefined): [string, RequestInit] {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const page = { ...headers, accept: 'text/html', 'sec-fetch-dest': 'document' };
  const api = { ...headers, accept: 'application/json' };
  switch (endpoint) {
    case 'page /admin':
      return [`${baseUrl}/admin`, { headers: page, redirect: 'manual' }];
    case 'page /admin/keys':
      return [`${baseUrl}/admin/keys`, { headers: page, redirect: 'manual' }];
    case 'page /':
      return [`${baseUrl}/`, { headers: page, redirect: 'manual' }];
    case 'GET /api/admin/report':
      return [`${baseUrl}/api/admin/report`, { headers: api, redirect: 'manual' }];
    case 'GET /api/session-mfa':
      return [`${baseUrl}/api/session-mfa`, { headers: api, redirect: 'manual' }];
    case 'POST /api/admin/keys/rotate':
      return [`${baseUrl}/api/admin/keys/rotate`, { method: 'POST', headers: api, redirect: 'manual' }];
  }
}

/** `null` when `res` (with its body) is the right answer for `kind` at `endpoint`, else what was wrong. */
export function judge(kind: SessionKind, endpoint: Endpoint, res: Response, body: string, ctx: { baseUrl: string; workosUrl: string }): string | null {
  const location = res.headers.get('location');
  const json = (): Record<string, unknown> | null => {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  const want = (ok: boolean, what: string) => (ok ? null : `${what}; got ${res.status} ${location ?? body.slice(0, 160)}`);
  const r = reasons(kind);

  if (endpoint === 'page /') return want(res.status === 200, 'expected 200');
  if (endpoint === 'page /admin' || endpoint === 'page /admin/keys') {
    const path = endpoint.slice('page '.length);
    if (!signedIn(kind)) return want(res.status === 307 && !!location?.startsWith(`${ctx.workosUrl}/user_management/authorize?`), 'expected 307 to WorkOS sign-in');
    if (r.admin === 'verified') return want(res.status === 200 && body.includes('<h1>'), 'expected 200');
    const target = location ? new URL(location, ctx.baseUrl) : null;
    return want(res.status === 307 && target?.origin === ctx.baseUrl && target.pathname === '/step-up' && target.searchParams.get('return_to') === path, `expected 307 to /step-up?return_to=${path}`);
  }
  if (!signedIn(kind)) return want(res.status === 401, 'expected 401');
  if (endpoint === 'GET /api/session-mfa') {
    const policies = json()?.policies as Record<string, { allowed: boolean; reason: string }> | undefined;
    return want(
      res.status === 200 && policies?.admin?.reason === r.admin && policies.admin.allowed === (r.admin === 'verified') && policies.rotateKeys?.reason === r.rotateKeys && policies.rotateKeys.allowed === (r.rotateKeys === 'verified'),
      `expected 200 with admin=${r.admin}, rotateKeys=${r.rotateKeys}`,
    );
  }
  const reason = endpoint === 'GET /api/admin/report' ? r.admin : r.rotateKeys;
  if (reason === 'verified') return want(res.status === 200 && json() !== null && json()?.error === undefined, 'expected 200 JSON');
  return want(res.status === 403 && json()?.reason === reason && json()?.error === 'insufficient_user_authentication', `expected 403 ${reason}`);
}
