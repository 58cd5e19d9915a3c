import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../../emulators/upstash/server';
import type { AttemptLimiter, AttemptSubject } from '../../lib/step-up/attempt-limiter';
import { counterAttemptLimiter } from '../../lib/step-up/counter-limiter';
import { upstashAttemptLimiter } from '../../lib/step-up/ratelimit-limiter';
import { upstashUsedCodes } from '../../lib/step-up/used-codes';

const TOKEN = 'step-up-token';
let redisBacked: UpstashStandIn;
let inMemory: UpstashStandIn;
const client = (standIn: UpstashStandIn) =>
  new Redis({
    url: standIn.url,
    token: TOKEN,
    automaticDeserialization: false,
    retry: { retries: 0 },
    enableTelemetry: false,
  });

beforeAll(async () => {
  redisBacked = await startUpstashStandIn({ token: TOKEN, redisUrl: inject('redisUrl') });
  inMemory = await startUpstashStandIn({ token: TOKEN, memory: true });
});
afterAll(async () => {
  await redisBacked.close();
  await inMemory.close();
});

let n = 0;
const fresh = (): AttemptSubject[] => {
  n += 1;
  return [
    { kind: 'session', id: `session_${process.pid}_${Date.now()}_${n}` },
    { kind: 'user', id: `user_${process.pid}_${Date.now()}_${n}` },
  ];
};

const limiters: Array<[string, () => { limiter: AttemptLimiter; redis: Redis; keyOf: (s: AttemptSubject) => string }]> =
  [
    [
      '@upstash/ratelimit over real Redis',
      () => ({
        redis: client(redisBacked),
        limiter: upstashAttemptLimiter({ redis: client(redisBacked), attempts: 3, window: '1m' }),
        keyOf: (s) => `authkit-mfa:v1:{${s.id}}:step-up:${s.kind}`,
      }),
    ],
    [
      'the counter over the in-memory stand-in',
      () => ({
        redis: client(inMemory),
        limiter: counterAttemptLimiter({ redis: client(inMemory), attempts: 3, window: '1m' }),
        keyOf: (s) => `authkit-mfa:v1:{${s.id}}:step-up:${s.kind}:counter`,
      }),
    ],
  ];

describe.each(limiters)('attempt limiter: %s', (_name, make) => {
  it('allows `attempts` attempts, then refuses until the window ends', async () => {
    const { limiter } = make();
    const subjects = fresh();
    for (let i = 0; i < 3; i++) expect(await limiter.consume(subjects)).toEqual({ allowed: true });
    const refused = await limiter.consume(subjects);
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(50);
    expect(!refused.allowed && refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('counts per user across sessions, and a refund gives one attempt back', async () => {
    const { limiter } = make();
    const [sessionA, user] = fresh() as [AttemptSubject, AttemptSubject];
    const [sessionB] = fresh() as [AttemptSubject];
    expect(await limiter.consume([sessionA, user])).toEqual({ allowed: true });
    expect(await limiter.consume([sessionA, user])).toEqual({ allowed: true });
    expect(await limiter.consume([sessionB, user])).toEqual({ allowed: true });
    expect((await limiter.consume([sessionB, user])).allowed).toBe(false); // the user is out, this session is not
    await limiter.refund([sessionB, user]);
    expect(await limiter.consume([sessionB, user])).toEqual({ allowed: true });
  });

  it('a refused attempt takes nothing from a subject that still had attempts (a locked-out user does not drain the session)', async () => {
    const { limiter } = make();
    const [sessionA, user] = fresh() as [AttemptSubject, AttemptSubject];
    const [sessionB] = fresh() as [AttemptSubject];
    for (let i = 0; i < 3; i++) expect(await limiter.consume([sessionA, user])).toEqual({ allowed: true });
    for (let i = 0; i < 5; i++) expect((await limiter.consume([sessionB, user])).allowed).toBe(false);
    // Session B was never the one refusing: its own three attempts are all still there.
    for (let i = 0; i < 3; i++) expect(await limiter.consume([sessionB])).toEqual({ allowed: true });
    expect((await limiter.consume([sessionB])).allowed).toBe(false);
  });

  it("support's reset gives a locked-out user (and the sessions named) every attempt back, and no one else's", async () => {
    const { limiter } = make();
    const [session, user] = fresh() as [AttemptSubject, AttemptSubject];
    const [otherSession, otherUser] = fresh() as [AttemptSubject, AttemptSubject];
    for (let i = 0; i < 3; i++) await limiter.consume([session, user]);
    for (let i = 0; i < 3; i++) await limiter.consume([otherSession, otherUser]);
    expect((await limiter.consume([session, user])).allowed).toBe(false);
    await limiter.reset([user, session]);
    for (let i = 0; i < 3; i++) expect(await limiter.consume([session, user])).toEqual({ allowed: true });
    expect((await limiter.consume([otherSession, otherUser])).allowed).toBe(false);
  });

  it('passes its startup check on this store', async () => {
    await expect(make().limiter.check()).resolves.toBeUndefined();
  });

  it('keeps its keys in the namespace, one Cluster slot per session or user', async () => {
    const { limiter, redis, keyOf } = make();
    const subjects = fresh();
    await limiter.consume(subjects);
    for (const subject of subjects) expect(await redis.exists(keyOf(subject))).toBe(1);
  });
});

describe('attempt limiter failures', () => {
  it('throws (so the attempt is refused) when the store fails, instead of letting it through', async () => {
    const broken = await startUpstashStandIn({ token: TOKEN, memory: true });
    broken.setFault({ mode: 'error500' });
    try {
      await expect(counterAttemptLimiter({ redis: client(broken) }).consume(fresh())).rejects.toThrow();
      await expect(upstashAttemptLimiter({ redis: client(broken) }).consume(fresh())).rejects.toThrow();
    } finally {
      await broken.close();
    }
  });

  it('@upstash/ratelimit needs Lua: over a store without it, the startup check and every attempt fail with an error naming counterAttemptLimiter', async () => {
    const limiter = upstashAttemptLimiter({ redis: client(inMemory) });
    const explained = expect.objectContaining({
      code: 'ERR_MFA_CONFIG_INVALID',
      field: 'redis',
      message: expect.stringMatching(/needs Lua scripting.*no Lua scripting.*Use counterAttemptLimiter/),
    });
    await expect(limiter.check()).rejects.toEqual(explained);
    await expect(limiter.consume(fresh())).rejects.toEqual(explained);
    await expect(limiter.reset(fresh())).rejects.toEqual(explained);
  });

  it('a store that is down is not mistaken for one without Lua', async () => {
    const broken = await startUpstashStandIn({ token: TOKEN, memory: true });
    broken.setFault({ mode: 'error500' });
    try {
      const error = await upstashAttemptLimiter({ redis: client(broken) })
        .check()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as { code?: string }).code).toBeUndefined();
    } finally {
      await broken.close();
    }
  });
});

describe('used-code registry', () => {
  it('marks a code once per factor, with an expiry, and reports it used', async () => {
    const redis = client(redisBacked);
    const codes = upstashUsedCodes({ redis, ttlSeconds: 90 });
    const factor = `auth_factor_${Date.now()}`;
    expect(await codes.wasUsed(factor, '123456')).toBe(false);
    expect(await codes.markUsed(factor, '123456')).toBe(true);
    expect(await codes.markUsed(factor, '123456')).toBe(false);
    expect(await codes.wasUsed(factor, '123456')).toBe(true);
    expect(await codes.wasUsed(`${factor}_other`, '123456')).toBe(false);
    const ttl = await redis.ttl(`authkit-mfa:v1:{${factor}}:used-code:123456`);
    expect(ttl).toBeGreaterThan(80);
    expect(ttl).toBeLessThanOrEqual(90);
  });
});
