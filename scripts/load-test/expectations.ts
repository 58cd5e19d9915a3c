/**
 * What the demo must answer, from what a session is at the moment of the request. A session's standing changes
 * during the run (a step-up, a sign-out, a revocation, a factor removal, a ledger outage, an access token
 * expiring, evidence ageing past a policy's window), so the expected decision is computed per request from the
 * session's state and the request's time window; where the window straddles a boundary (a token expiring
 * mid-request) either side is accepted. A response is right only when its status, its redirect target and (for
 * JSON) its reason all match one of the possible decisions; anything else is a wrong decision.
 */

/** How each session starts out. */
export type SessionKind =
  /** Step-up 1 minute ago: passes the admin area (12 h) and key rotation (10 min). */
  | 'mfa'
  /** Step-up 20 minutes ago: passes the admin area, not key rotation. */
  | 'admin-only'
  /** Step-up 13 hours ago: passes nothing. */
  | 'stale'
  /** Signed in, never stepped up. */
  | 'none'
  /** Its ledger key holds another user's entry (written there by hand: a poisoned ledger). */
  | 'foreign'
  /** Signed out through /logout; the old cookie is replayed. */
  | 'revoked'
  /** No cookie at all. */
  | 'signed-out'
  /** A cookie sealed with another password. */
  | 'forged';

export const KINDS: readonly SessionKind[] = [
  'mfa',
  'admin-only',
  'stale',
  'none',
  'foreign',
  'revoked',
  'signed-out',
  'forged',
];

/** Seconds since the ledger entry's `verifiedAt`, for the kinds that start with one of their own. */
export const ENTRY_AGE: Partial<Record<SessionKind, number>> = { mfa: 60, 'admin-only': 20 * 60, stale: 13 * 3600 };

/** A session's standing as the app should see it. */
export interface SessionState {
  /**
   * `live`: signed in (the jar keeps authkit's refreshed cookies, like a browser). `ended`: signed out or revoked
   * at WorkOS, the old cookie replayed: signed in until its access token expires (`tokenExp`), signed out after.
   * `none`: no cookie. `forged`: a cookie the app cannot unseal.
   */
  readonly auth: 'live' | 'ended' | 'none' | 'forged';
  /** `exp` (epoch seconds) of the replayed access token of an `ended` session. */
  readonly tokenExp?: number;
  /** The session's own ledger entry (`verifiedAt`, epoch seconds), `'foreign'` for another user's entry under its key, or none. */
  readonly evidence: null | 'foreign' | { readonly verifiedAt: number };
}

/** The policies of the demo, with their windows in seconds. */
export const POLICIES = { admin: 12 * 3600, rotateKeys: 10 * 60 } as const;

export type Endpoint =
  | 'page /admin'
  | 'page /admin/keys'
  | 'GET /api/admin/report'
  | 'GET /api/session-mfa'
  | 'POST /api/admin/keys/rotate'
  | 'page /';
export const ENDPOINTS: readonly Endpoint[] = [
  'page /admin',
  'page /admin/keys',
  'GET /api/admin/report',
  'GET /api/session-mfa',
  'POST /api/admin/keys/rotate',
  'page /',
];

type Reason = 'verified' | 'stale' | 'no_evidence' | 'foreign_user' | 'ledger_unavailable';

/** One decision the app may rightly take for a request. */
export interface Decision {
  readonly signedIn: boolean;
  readonly admin: Reason;
  readonly rotateKeys: Reason;
}

/** When a request was in flight (epoch ms) and whether the ledger was down all that time. */
export interface RequestWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly ledgerDown: boolean;
}

function freshness(verifiedAt: number, maxAge: number, window: RequestWindow): Reason[] {
  // The app decides at `floor(now)` somewhere inside the window; exactly maxAge old still passes.
  const oldest = Math.floor(window.endMs / 1000) - verifiedAt;
  const youngest = Math.floor(window.startMs / 1000) - verifiedAt;
  if (oldest <= maxAge) return ['verified'];
  if (youngest > maxAge) return ['stale'];
  return ['verified', 'stale'];
}

function reasons(state: SessionState, maxAge: number, window: RequestWindow): Reason[] {
  if (window.ledgerDown) return ['ledger_unavailable'];
  if (state.evidence === null) return ['no_evidence'];
  if (state.evidence === 'foreign') return ['foreign_user'];
  return freshness(state.evidence.verifiedAt, maxAge, window);
}

function signedIn(state: SessionState, window: RequestWindow): boolean[] {
  if (state.auth === 'live') return [true];
  if (state.auth !== 'ended') return [false];
  // jose: valid while exp > floor(now).
  const exp = state.tokenExp ?? 0;
  if (exp > Math.floor(window.endMs / 1000)) return [true];
  if (exp <= Math.floor(window.startMs / 1000)) return [false];
  return [true, false];
}

/** Every decision the app may rightly take for `state` during `window`. */
export function possibleDecisions(state: SessionState, window: RequestWindow): Decision[] {
  const out: Decision[] = [];
  for (const inside of signedIn(state, window)) {
    if (!inside) {
      out.push({ signedIn: false, admin: 'no_evidence', rotateKeys: 'no_evidence' });
      continue;
    }
    for (const admin of reasons(state, POLICIES.admin, window))
      for (const rotateKeys of reasons(state, POLICIES.rotateKeys, window))
        out.push({ signedIn: true, admin, rotateKeys });
  }
  return out;
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

function parseJson(body: string): Record<string, unknown> | null {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Whether `res` is the app's answer at `endpoint` for `decision`. */
function matches(
  decision: Decision,
  endpoint: Endpoint,
  res: Response,
  body: string,
  ctx: { baseUrl: string; workosUrl: string },
): boolean {
  const location = res.headers.get('location');
  const json = parseJson(body);
  const unavailable = () =>
    res.status === 503 && json?.error === 'temporarily_unavailable' && json.reason === 'ledger_unavailable';
  if (endpoint === 'page /') return res.status === 200;
  if (endpoint === 'page /admin' || endpoint === 'page /admin/keys') {
    const path = endpoint.slice('page '.length);
    if (!decision.signedIn)
      return res.status === 307 && !!location?.startsWith(`${ctx.workosUrl}/user_management/authorize?`);
    if (decision.admin === 'verified') return res.status === 200 && body.includes('<h1>');
    if (decision.admin === 'ledger_unavailable') return unavailable();
    const target = location ? new URL(location, ctx.baseUrl) : null;
    return (
      res.status === 307 &&
      target?.origin === ctx.baseUrl &&
      target.pathname === '/step-up' &&
      target.searchParams.get('return_to') === path
    );
  }
  if (!decision.signedIn) return res.status === 401;
  if (endpoint === 'GET /api/session-mfa') {
    const policies = json?.policies as Record<string, { allowed: boolean; reason: string }> | undefined;
    return (
      res.status === 200 &&
      policies?.admin?.reason === decision.admin &&
      policies.admin.allowed === (decision.admin === 'verified') &&
      policies.rotateKeys?.reason === decision.rotateKeys &&
      policies.rotateKeys.allowed === (decision.rotateKeys === 'verified')
    );
  }
  const reason = endpoint === 'GET /api/admin/report' ? decision.admin : decision.rotateKeys;
  if (reason === 'verified') return res.status === 200 && json !== null && json.error === undefined;
  if (reason === 'ledger_unavailable') return unavailable();
  return res.status === 403 && json?.reason === reason && json.error === 'insufficient_user_authentication';
}

function describe(d: Decision): string {
  return d.signedIn ? `admin=${d.admin}, rotateKeys=${d.rotateKeys}` : 'signed out';
}

/** `null` when `res` (with its body) is a right answer for one of `decisions` at `endpoint`, else what was wrong. */
export function judge(
  decisions: readonly Decision[],
  endpoint: Endpoint,
  res: Response,
  body: string,
  ctx: { baseUrl: string; workosUrl: string },
): string | null {
  if (decisions.some((d) => matches(d, endpoint, res, body, ctx))) return null;
  return `expected ${decisions.map(describe).join(' or ')}; got ${res.status} ${res.headers.get('location') ?? body.slice(0, 160)}`;
}
