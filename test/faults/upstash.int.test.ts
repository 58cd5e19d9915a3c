/**
 * The Upstash REST stand-in misbehaving in front of a healthy Redis (its own redis-server): HTTP 500s, a body that
 * is not JSON, answers slower than the ledger timeout. The Edge ledger must refuse with `ledger_unavailable`
 * within the timeout bound — also with `@upstash/redis`'s default retries switched on — and, once the stand-in
 * behaves again, decide correctly within a second.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StandInFault } from '../../emulators/upstash/server';
import { LedgerUnavailableError } from '../../lib/core/errors';
import { startRedis, type RedisProcess } from '../../test-support/redis-server';
import {
  nowSeconds,
  passedThrough,
  startHarness,
  type Engine,
  type Harness,
  type SignedIn,
} from '../hostile/support/harness';
import { decidedWithin, deniedUnavailable, LEDGER_TIMEOUT_MS } from './support';

let h: Harness;
let redis: RedisProcess;
let alice: SignedIn;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  redis = await startRedis();
  alice = await h.signIn();
});
afterAll(async () => {
  await h?.close();
  await redis?.stop();
});

const FAULTS: Array<[string, StandInFault]> = [
  ['HTTP 500 on every command', { mode: 'error500' }],
  ['a 200 whose body is not JSON', { mode: 'garbage' }],
  ['answers 2 s late (timeout 500 ms)', { mode: 'delay', delayMs: 2000 }],
];

describe.each([
  ['retries off (as the demo configures the client)', 0],
  ['the client’s default 5 retries', 5],
])('Upstash client with %s', (_label, retries) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await h.engine({
      redisUrl: redis.url,
      store: 'upstash',
      upstashRetries: retries,
      timeoutMs: LEDGER_TIMEOUT_MS,
    });
  });
  afterAll(() => engine?.close());
  const api = () => engine.middleware(h.api('/api/admin/report', alice.cookie));

  it.each(FAULTS)(
    '%s: refused within the bound, still serving; cleared: allowed again within 1 s',
    async (_name, fault) => {
      await engine.ledger.record({
        sessionId: alice.sid,
        userId: alice.userId,
        verifiedAt: nowSeconds(),
        methods: ['otp'],
        source: 'step_up',
      });
      expect(passedThrough(await api())).toBe(true);
      engine.standIn!.setFault(fault);
      try {
        await deniedUnavailable(api);
        await deniedUnavailable(() => engine.middleware(h.page('/admin', alice.cookie)));
        expect(passedThrough(await engine.middleware(h.page('/', alice.cookie)))).toBe(true);
        await expect(
          engine.ledger.record({
            sessionId: alice.sid,
            userId: alice.userId,
            verifiedAt: nowSeconds(),
            methods: ['otp'],
            source: 'step_up',
          }),
        ).rejects.toBeInstanceOf(LedgerUnavailableError);
      } finally {
        engine.standIn!.setFault({ mode: 'none' });
      }
      await decidedWithin(api, (res) => passedThrough(res), 'the verified session to pass once the stand-in behaves');
    },
  );

  it('a slow answer inside the timeout (50 ms) is still a decision, not a refusal', async () => {
    await engine.ledger.record({
      sessionId: alice.sid,
      userId: alice.userId,
      verifiedAt: nowSeconds(),
      methods: ['otp'],
      source: 'step_up',
    });
    engine.standIn!.setFault({ mode: 'delay', delayMs: 50 });
    try {
      expect(passedThrough(await api())).toBe(true);
    } finally {
      engine.standIn!.setFault({ mode: 'none' });
    }
  });
});
