/**
 * Ledger poisoning: whatever sits under a session's ledger key — another session's or user's entry, corrupt
 * JSON, wrong types, future or ancient times, a value of the wrong Redis type — must never let that session
 * through, must be refused with the right reason, and must be left exactly as it was (no "repair" write).
 * Runs through the real middleware (authkit + emulator tokens) with the ledger in real Redis behind the Upstash
 * stand-in, and through the engine's status() read used by server components.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { verifiedPayload } from '../../lib/next/token-payload';
import {
  bodyOf,
  KEY_PREFIX,
  nowSeconds,
  passedThrough,
  startHarness,
  type Harness,
  type SignedIn,
} from './support/harness';

let h: Harness;
let alice: SignedIn;
let aliceElsewhere: SignedIn;
let bob: SignedIn;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  [alice, aliceElsewhere, bob] = await Promise.all([
    h.signIn(),
    h.signIn(),
    h.signIn('bob@acme.test', 'bob-password-1'),
  ]);
});
afterAll(() => h?.close());
beforeEach(async () => {
  for (const s of [alice, aliceElsewhere, bob]) await h.raw.del(h.ledgerKey(s.sid));
});

const entry = (over: Record<string, unknown> = {}) => ({
  sessionId: alice.sid,
  userId: alice.userId,
  organizationId: 'org_acme',
  verifiedAt: nowSeconds() - 30,
  methods: ['otp'],
  factorId: 'auth_factor_alice_totp',
  challengeId: 'auth_challenge_1',
  source: 'step_up',
  ...over,
});

/** Plants `value` under alice's ledger key, sends her request, and checks the refusal changed nothing. */
async function poisoned(value: string, expectedReason: string, key = h.ledgerKey(alice.sid)) {
  await h.raw.set(key, value);
  const before = await h.snapshot();
  const res = await h.middleware(h.api('/api/admin/report', alice.cookie));
  expect(res.status).toBe(expectedReason === 'ledger_unavailable' ? 503 : 403);
  expect(await bodyOf(res)).toMatchObject({ reason: expectedReason });
  expect(h.audit.at(-1)).toMatchObject({
    type: 'decision',
    reason: expectedReason,
    sessionId: alice.sid,
    userId: alice.userId,
  });
  expect(await h.snapshot()).toEqual(before);
  expect(await h.raw.get(key)).toBe(value);
  // The same session is never let through as a page navigation either.
  expect(passedThrough(await h.middleware(h.page('/admin', alice.cookie)))).toBe(false);
}

describe("another session's or another user's evidence", () => {
  it("an entry for another sid under this session's key → foreign_session", async () => {
    await poisoned(JSON.stringify(entry({ sessionId: 'session_someone_else' })), 'foreign_session');
  });

  it("alice's own entry from her other session, copied to this session's key → foreign_session", async () => {
    await h.record(aliceElsewhere);
    await poisoned((await h.raw.get(h.ledgerKey(aliceElsewhere.sid)))!, 'foreign_session');
  });

  it("an entry for another user under this session's key → foreign_user", async () => {
    await poisoned(JSON.stringify(entry({ userId: bob.userId })), 'foreign_user');
  });

  it("bob's genuine entry copied byte for byte under alice's key → foreign_user", async () => {
    await h.record(bob);
    await poisoned((await h.raw.get(h.ledgerKey(bob.sid)))!, 'foreign_user');
  });

  it('another user and another session at once → foreign_user (the most alarming reason)', async () => {
    await poisoned(JSON.stringify(entry({ sessionId: bob.sid, userId: bob.userId })), 'foreign_user');
  });

  it('a look-alike user id (Cyrillic "а") is not this user → malformed', async () => {
    await poisoned(JSON.stringify(entry({ userId: 'user_\u0430lice' })), 'malformed_evidence');
  });

  it("alice's entry does not let bob's session through, and bob's key stays empty", async () => {
    await h.record(alice);
    const res = await h.middleware(h.api('/api/admin/report', bob.cookie));
    expect(res.status).toBe(403);
    expect(await bodyOf(res)).toMatchObject({ reason: 'no_evidence' });
    expect(await h.raw.get(h.ledgerKey(bob.sid))).toBeNull();
  });
});

describe('corrupt or absurd values are malformed evidence', () => {
  const valid = () => JSON.stringify(entry());
  it.each([
    ['not JSON', () => 'not json'],
    ['truncated JSON', () => valid().slice(0, -5)],
    ['an empty string', () => ''],
    ['an empty object', () => '{}'],
    ['an array', () => '[]'],
    ['JSON null', () => 'null'],
    ['a number', () => '42'],
    ['the entry wrapped in a JSON string', () => JSON.stringify(valid())],
    ['the entry nested under __proto__', () => `{"__proto__":${valid()}}`],
    ['sessionId of the wrong type', () => JSON.stringify(entry({ sessionId: 12345 }))],
    ['userId missing', () => JSON.stringify(entry({ userId: undefined }))],
    ['userId with a trailing space', () => JSON.stringify(entry({ userId: `${alice.userId} ` }))],
    ['verifiedAt as a string', () => JSON.stringify(entry({ verifiedAt: String(nowSeconds()) }))],
    ['verifiedAt in milliseconds', () => JSON.stringify(entry({ verifiedAt: Date.now() }))],
    ['verifiedAt negative', () => JSON.stringify(entry({ verifiedAt: -1 }))],
    ['verifiedAt fractional', () => JSON.stringify(entry({ verifiedAt: nowSeconds() - 0.5 }))],
    ['verifiedAt in the year 3000', () => JSON.stringify(entry({ verifiedAt: 32_503_680_000 }))],
    ['methods empty', () => JSON.stringify(entry({ methods: [] }))],
    ['methods a string', () => JSON.stringify(entry({ methods: 'otp' }))],
    ['methods with a number', () => JSON.stringify(entry({ methods: ['otp', 1] }))],
    ['an unknown source', () => JSON.stringify(entry({ source: 'admin_override' }))],
    ['organizationId of the wrong type', () => JSON.stringify(entry({ organizationId: { id: 'org_acme' } }))],
    ['factorId with key-breaking characters', () => JSON.stringify(entry({ factorId: 'f}:x{' }))],
    ['a megabyte of garbage', () => 'x'.repeat(1024 * 1024)],
  ])('%s', async (_name, value) => {
    await poisoned(value(), 'malformed_evidence');
  });

  it('verifiedAt beyond the clock skew (61 s ahead) → malformed; an hour ahead → malformed', async () => {
    await poisoned(JSON.stringify(entry({ verifiedAt: nowSeconds() + 3600 })), 'malformed_evidence');
    await poisoned(JSON.stringify(entry({ verifiedAt: nowSeconds() + 90 })), 'malformed_evidence');
  });

  it('verifiedAt older than the policy allows (aal2: 12 h) → stale', async () => {
    await poisoned(JSON.stringify(entry({ verifiedAt: nowSeconds() - 12 * 3600 - 5 })), 'stale');
  });

  it('a value of the wrong Redis type (a hash) under the key → ledger_unavailable, still refused, key untouched', async () => {
    const key = h.ledgerKey(alice.sid);
    const client = await createClient({ url: inject('redisUrl') }).connect();
    try {
      await client.del(key);
      await client.hSet(key, { sid: alice.sid, userId: alice.userId, verifiedAt: String(nowSeconds()) });
      const res = await h.middleware(h.api('/api/admin/report', alice.cookie));
      expect(res.status).toBe(503);
      expect(await bodyOf(res)).toMatchObject({ reason: 'ledger_unavailable' });
      expect(await client.type(key)).toBe('hash');
      expect(await client.hGet(key, 'userId')).toBe(alice.userId);
    } finally {
      await client.del(key);
      client.destroy();
    }
  });
});

describe('neighbouring keys are not this session’s evidence', () => {
  it.each([
    ['another prefix', (sid: string) => `authkit-mfa:v1:{${sid}}:ledger`],
    ['another version', (sid: string) => `${KEY_PREFIX}:v2:{${sid}}:ledger`],
    ['no hash tag', (sid: string) => `${KEY_PREFIX}:v1:${sid}:ledger`],
    ['another kind', (sid: string) => `${KEY_PREFIX}:v1:{${sid}}:ledger-backup`],
  ])('a valid entry under %s → no_evidence', async (_name, keyOf) => {
    const key = keyOf(alice.sid);
    const value = JSON.stringify(entry());
    await h.raw.set(key, value);
    const res = await h.middleware(h.api('/api/admin/report', alice.cookie));
    expect(res.status).toBe(403);
    expect(await bodyOf(res)).toMatchObject({ reason: 'no_evidence' });
    expect(await h.raw.get(key)).toBe(value);
    await h.raw.del(key);
  });
});

describe('status() — what server components show — reads poisoned entries as denials too', () => {
  it.each([
    ['foreign_user', () => JSON.stringify(entry({ userId: bob.userId }))],
    ['foreign_session', () => JSON.stringify(entry({ sessionId: 'session_x' }))],
    ['malformed_evidence', () => 'garbage'],
  ])('%s', async (reason, value) => {
    await h.raw.set(h.ledgerKey(alice.sid), value());
    const status = await h.sessionMfa.status(verifiedPayload(alice.accessToken), {
      admin: h.edge.mfaPreset('aal2'),
      any: h.edge.defineMfaPolicy({ name: 'any' }),
    });
    expect(status.admin).toMatchObject({ allowed: false, reason });
    expect(status.any).toMatchObject({ allowed: false, reason });
  });
});

describe('control', () => {
  it("alice's own well-formed entry lets exactly her session through", async () => {
    await h.raw.set(h.ledgerKey(alice.sid), JSON.stringify(entry()));
    expect(passedThrough(await h.middleware(h.api('/api/admin/report', alice.cookie)))).toBe(true);
  });
});
