/**
 * The demo's session-MFA configuration, Edge-safe: imported by `middleware.ts` (Edge) and by `mfa.ts`
 * (server). The only place the app reads its MFA environment variables.
 */
import { Redis } from '@upstash/redis';
import { createSessionLedger, createSessionMfa, mfaPreset, type Duration, type SessionLedger } from 'authkit-session-mfa/edge';
import { upstashStore } from 'authkit-session-mfa/ledger/upstash';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see .env.example; \`npm run demo\` sets it for you).`);
  return value;
}

/** Named policies of the demo; `/account` and `GET /api/session-mfa` report each of them. */
export const policies = {
  /** `/admin/**` and `GET /api/admin/report`: MFA within 12 hours (NIST AAL2). */
  admin: mfaPreset('aal2', { name: 'admin-area' }),
  /** Rotating API keys: MFA within 10 minutes (shortened in e2e runs through MFA_ROTATE_KEYS_MAX_AGE). */
  rotateKeys: mfaPreset('strict', { name: 'rotate-keys', maxAge: (process.env.MFA_ROTATE_KEYS_MAX_AGE as Duration | undefined) ?? '10m' }),
};

/** Upstash REST client: works on the Edge runtime and on Node. */
export const upstash = new Redis({
  url: required('UPSTASH_REDIS_REST_URL'),
  token: required('UPSTASH_REDIS_REST_TOKEN'),
  automaticDeserialization: false,
  retry: { retries: 0 },
});

/** The ledger as the Edge middleware reads it. */
export const edgeLedger: SessionLedger = createSessionLedger({ store: upstashStore(upstash) });

/** The engine used by the Edge middleware. */
export const edgeSessionMfa = createSessionMfa({ ledger: edgeLedger });
