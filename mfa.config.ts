/**
 * The demo's session-MFA configuration, Edge-safe: imported by `middleware.ts` (Edge) and by `mfa.ts`
 * (server). The only place the app reads its MFA environment variables.
 */
import { Redis } from '@upstash/redis';
import { createSessionLedger, createSessionMfa, defineMfaPolicy, mfaPreset, type Duration } from 'authkit-session-mfa';
import { createJsonLinesSink, DEFAULT_AUDIT_STREAM_KEY, type AuditSink } from 'authkit-session-mfa/audit';
import { upstashAuditSink, upstashStore } from 'authkit-session-mfa/upstash';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see .env.example; \`npm run demo\` sets it for you).`);
  return value;
}

/**
 * How the engines read token claims. Globex (carol) signs in through its own IdP: WorkOS does no MFA for her,
 * so the `amr` in her tokens is her IdP's assertion, which counts only under a policy with `trustIdpMfa`.
 */
export const claimOptions = { idpOrganizations: ['org_globex'] };

/**
 * Named policies of the demo; `/account` and `GET /api/session-mfa` report each of them. Both trust Globex's
 * IdP (the demo's only SSO organization), so carol needs no step-up when her IdP reports MFA.
 */
export const policies = {
  /** `/admin/**` and `GET /api/admin/report`: MFA within 12 hours (NIST AAL2). */
  admin: mfaPreset('aal2', { name: 'admin-area', trustIdpMfa: true }),
  /** Rotating API keys: MFA within 10 minutes (shortened in e2e runs through MFA_ROTATE_KEYS_MAX_AGE). */
  rotateKeys: mfaPreset('strict', {
    name: 'rotate-keys',
    maxAge: (process.env.MFA_ROTATE_KEYS_MAX_AGE as Duration | undefined) ?? '10m',
    trustIdpMfa: true,
  }),
};

/**
 * Adding an authenticator when the user has one needs MFA within 10 minutes in the session (shortened in e2e runs
 * through MFA_ENROLL_MAX_AGE).
 */
export const enrollPolicy = mfaPreset('strict', {
  name: 'enroll-factor',
  maxAge: (process.env.MFA_ENROLL_MAX_AGE as Duration | undefined) ?? '10m',
});

/**
 * "MFA for the whole session" (`MFA_WHOLE_SESSION=1`): every route but sign-in/out, the step-up page, enrollment
 * and the WorkOS webhook needs MFA from this session, of any age, so the step-up runs right after sign-in and once
 * per session. Stricter rules (the admin area's 12 hours, key rotation's 10 minutes) still apply where they match.
 * SSO organizations (`claimOptions.idpOrganizations`): `MFA_WHOLE_SESSION_SSO=trust` lets the MFA their IdP
 * asserts count; otherwise (`gate`) their members step up here like everyone else.
 */
export const wholeSession = {
  enabled: process.env.MFA_WHOLE_SESSION === '1',
  policy: defineMfaPolicy({
    name: 'whole-session',
    maxAge: null,
    trustIdpMfa: process.env.MFA_WHOLE_SESSION_SSO === 'trust',
  }),
};

/** The AuthKit callback when the app runs at another address than the build's NEXT_PUBLIC_WORKOS_REDIRECT_URI. */
export const redirectUri = process.env.WORKOS_REDIRECT_URI || undefined;

/** Upstash REST client: works on the Edge runtime and on Node. */
export const upstash = new Redis({
  url: required('UPSTASH_REDIS_REST_URL'),
  token: required('UPSTASH_REDIS_REST_TOKEN'),
  automaticDeserialization: false,
  retry: { retries: 0 },
});

/** The ledger as the Edge middleware reads it. */
export const edgeLedger = createSessionLedger({ store: upstashStore(upstash) });

/** Audit settings (`/audit`, `npm run audit:export` and the webhook route read them too). */
export const auditConfig = {
  /** Redis Stream holding every record. */
  streamKey: process.env.MFA_AUDIT_STREAM_KEY || DEFAULT_AUDIT_STREAM_KEY,
  /** `MFA_AUDIT_WORKOS=1`: server-side records also go to WorkOS Audit Logs (define the `session_mfa.*` actions first). */
  workosAuditLogs: process.env.MFA_AUDIT_WORKOS === '1',
  /** Signing secret of the WorkOS webhook endpoint (`/api/webhooks/workos`). */
  webhookSecret: process.env.WORKOS_WEBHOOK_SECRET ?? '',
};

/** Audit sinks of every engine: JSON lines on stdout and the Redis Stream. Edge-safe, as the middleware needs. */
export const auditSinks: readonly AuditSink[] = [
  createJsonLinesSink(),
  upstashAuditSink(upstash, { key: auditConfig.streamKey }),
];

/** The engine used by the Edge middleware. */
export const edgeSessionMfa = createSessionMfa({ ledger: edgeLedger, audit: auditSinks, claims: claimOptions });
