import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startUpstashStandIn, type StandInFault, type UpstashStandIn } from '../../emulators/upstash/server';
import { closedPort } from '../../test-support/free-port';
import { CONTRACT_TIMEOUT_MS, runLedgerContract } from '../../test-support/ledger-contract';
import { connectRaw, type RawAccess } from '../../test-support/redis-raw';
import { startRedis } from '../../test-support/redis-server';
import type { LedgerEntry } from '../../lib/core/ledger-entry';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { upstashStore } from '../../lib/ledger/upstash';

const TOKEN = 'contract-token';

type Encoding = 'base64' | false;

function client(
  url: string,
  responseEncoding: Encoding,
  extra: { automaticDeserialization?: boolean; token?: string } = {},
): Redis {
  return new Redis({
    url,
    token: extra.token ?? TOKEN,
    responseEncoding,
    automaticDeserialization: extra.automaticDeserialization ?? false,
    enableTelemetry: false,
  });
}

for (const encoding of ['base64', false] as const) {
  runLedgerContract(`upstash via the REST stand-in (Upstash-Encoding: ${encoding || 'none'})`, async () => {
    const standIn = await startUpstashStandIn({ token: TOKEN, redisUrl: inject('redisUrl') });
    const raw = await connectRaw(inject('redisUrl'));
    return {
      store: upstashStore(client(standIn.url, encoding)),
      raw,
      faults: {
        // The client's default retries (5, backing off ~4 s in total) are bounded by the ledger timeout.
        unreachable: async () => upstashStore(client(`http://127.0.0.1:${await closedPort()}`, encoding)),
        async stallable() {
          const redis = await startRedis();
          const own = await startUpstashStandIn({ token: TOKEN, redisUrl: redis.url });
          return {
            store: upstashStore(client(own.url, encoding)),
            stall: () => redis.pause(),
            resume: () => redis.resume(),
            async close() {
              await own.close();
              await redis.stop();
            },
          };
        },
      },
      async close() {
        raw.close();
        await standIn.close();
      },
    };
  });
}

const entry = (sid: string): LedgerEntry => ({
  sessionId: sid,
  userId: 'user_1',
  verifiedAt: 1_760_000_000,
  methods: ['otp'],
  source: 'step_up',
});
const keyOf = (sid: string) => `authkit-mfa:v1:{${sid}}:ledger`;

describe('upstash store: stand-in failures deny within the timeout', () => {
  let standIn: UpstashStandIn;
  beforeAll(async () => {
    standIn = await startUpstashStandIn({ token: TOKEN, redisUrl: inject('redisUrl') });
  });
  afterAll(() => standIn.close());

  it.for<[string, StandInFault]>([
    ['HTTP 500', { mode: 'error500' }],
    ['a body that is not JSON', { mode: 'garbage' }],
    ['answers after 2 s', { mode: 'delay', delayMs: 2000 }],
  ])('%s', async ([, fault], { annotate }) => {
    const ledger = createSessionLedger({
      store: upstashStore(client(standIn.url, 'base64')),
      timeoutMs: CONTRACT_TIMEOUT_MS,
    });
    await ledger.record(entry('session_fault'));
    standIn.setFault(fault);
    try {
      const start = performance.now();
      const result = await ledger.lookup('session_fault');
      const ms = Math.round(performance.now() - start);
      expect(result.status).toBe('unavailable');
      expect(ms).toBeLessThan(CONTRACT_TIMEOUT_MS + 250);
      // Other sids: a delayed write or removal still lands later and must not disturb the check below.
      await expect(ledger.record(entry('session_fault_w'))).rejects.toMatchObject({ name: 'LedgerUnavailableError' });
      await expect(ledger.remove('session_fault_r')).rejects.toMatchObject({ name: 'LedgerUnavailableError' });
      await annotate(
        `${fault.mode}: lookup ${ms} ms → ${result.status === 'unavailable' ? result.detail : result.status}`,
      );
    } finally {
      standIn.setFault({ mode: 'none' });
    }
    expect((await ledger.lookup('session_fault')).status).toBe('found');
  });

  it('a wrong token is unavailable, not missing', async () => {
    const ledger = createSessionLedger({ store: upstashStore(client(standIn.url, 'base64', { token: 'wrong' })) });
    const result = await ledger.lookup('session_x');
    expect(result).toEqual({
      status: 'unavailable',
      detail: expect.stringMatching(/^upstash: UpstashError: Unauthorized/),
    });
  });
});

describe('upstash store with a client that deserializes automatically', () => {
  let standIn: UpstashStandIn;
  let raw: RawAccess & { close(): void };
  beforeAll(async () => {
    standIn = await startUpstashStandIn({ token: TOKEN, redisUrl: inject('redisUrl') });
    raw = await connectRaw(inject('redisUrl'));
  });
  afterAll(async () => {
    raw.close();
    await standIn.close();
  });

  const ledger = () =>
    createSessionLedger({ store: upstashStore(client(standIn.url, 'base64', { automaticDeserialization: true })) });

  it('still round-trips entries (the parsed object is re-serialized)', async () => {
    await ledger().record(entry('session_auto'));
    expect(await ledger().lookup('session_auto')).toEqual({ status: 'found', entry: entry('session_auto') });
  });

  it.each([
    ['not json', 'malformed'],
    ['{}', 'malformed'],
    ['42', 'malformed'],
    [JSON.stringify({ ...entry('session_auto2'), verifiedAt: 32_503_680_000 }), 'malformed'],
    [JSON.stringify({ ...entry('session_auto2'), methods: [] }), 'malformed'],
    [JSON.stringify({ ...entry('session_auto2'), userId: 7 }), 'malformed'],
    // The documented divergences: still no evidence, but a different status than with raw text.
    ['null', 'missing'],
  ])('stored %s → %s', async (value, status) => {
    await raw.set(keyOf('session_auto2'), value);
    expect((await ledger().lookup('session_auto2')).status).toBe(status);
  });

  it('unwraps a JSON string once (the other divergence; needs Redis write access to exploit, which already grants)', async () => {
    await raw.set(keyOf('session_auto3'), JSON.stringify(JSON.stringify(entry('session_auto3'))));
    expect((await ledger().lookup('session_auto3')).status).toBe('found');
    const rawLedger = createSessionLedger({ store: upstashStore(client(standIn.url, 'base64')) });
    expect((await rawLedger.lookup('session_auto3')).status).toBe('malformed');
  });
});
