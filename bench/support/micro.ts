/**
 * Micro figures: decisions per second of the pure `evaluate()`, the engine's whole per-request CPU work,
 * one ledger round trip from a client's seat, and what ledger entries cost in Redis memory.
 */
import { Redis } from '@upstash/redis';
import { createClient } from 'redis';
import { readMfaClaims } from '../../lib/core/claims';
import { evaluate, type EvidenceInput } from '../../lib/core/evaluate';
import { DEFAULT_KEY_PREFIX, scopedKey } from '../../lib/core/keys';
import { toLedgerEntry, type LedgerEntry } from '../../lib/core/ledger-entry';

import { createSessionLedger } from '../../lib/ledger/ledger';
import { memoryStore } from '../../lib/ledger/memory';
import { createSessionMfa } from '../../lib/session-mfa';
import { BENCH_POLICY } from '../shared/bench-config';
import { median, percentile } from './stats';

function checkedEntry(value: LedgerEntry): LedgerEntry {
  const entry = toLedgerEntry(value);
  if (!entry) throw new Error('bench: the step-up entry is not a valid ledger entry');
  return entry;
}

const NOW = 1_800_000_000;
const SESSION = {
  userId: 'user_01JBENCH0000000000000000A1',
  sessionId: 'session_01JBENCH00000000000000000B2',
  organizationId: 'org_01JBENCH000000000000000000C3',
};
const TOKEN_WITH_AMR = {
  sub: SESSION.userId,
  sid: SESSION.sessionId,
  org_id: SESSION.organizationId,
  amr: ['pwd', 'otp', 'mfa'],
  acr: 'urn:workos:acr:mfa',
  auth_time: NOW - 600,
  iat: NOW - 60,
  exp: NOW + 240,
};
// As a real lookup returns it: `toLedgerEntry` (which parseLedgerEntry calls) gives a checked, frozen entry.
const STEP_UP_ENTRY: LedgerEntry = checkedEntry({
  sessionId: SESSION.sessionId,
  userId: SESSION.userId,
  organizationId: SESSION.organizationId,
  verifiedAt: NOW - 600,
  methods: ['otp'],
  factorId: 'auth_factor_01JBENCH000000000000000D4',
  challengeId: 'auth_challenge_01JBENCH0000000000000E5',
  source: 'step_up',
});

/** The evidence shapes a protected request produces, each decided by `evaluate()` alone. */
export const EVALUATE_CASES: Readonly<Record<string, EvidenceInput>> = {
  'allow from claims': { session: SESSION, claims: readMfaClaims(TOKEN_WITH_AMR) },
  'allow from ledger': {
    session: SESSION,
    claims: readMfaClaims({ ...TOKEN_WITH_AMR, amr: undefined, acr: undefined }),
    ledger: { status: 'found', entry: STEP_UP_ENTRY },
  },
  'step-up (no evidence)': {
    session: SESSION,
    claims: readMfaClaims({ ...TOKEN_WITH_AMR, amr: undefined, acr: undefined }),
    ledger: { status: 'missing' },
  },
};

/** Calls `fn` in a tight loop for about `ms` and returns calls per second. `sink` keeps the work observable. */
function opsPerSecond(fn: () => boolean, ms: number): number {
  let sink = 0;
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 10_000; i++) if (fn()) sink++;
    calls += 10_000;
    elapsed = performance.now() - started;
  }
  if (sink < 0) console.log(sink);
  return (calls / elapsed) * 1000;
}

/** Median decisions/s of `evaluate()` per case over `rounds` runs of `ms` each, after a warm-up (one thread). */
export function evaluateThroughput(rounds = 5, ms = 600): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, input] of Object.entries(EVALUATE_CASES)) {
    const once = () => evaluate(input, BENCH_POLICY, NOW).allowed;
    opsPerSecond(once, 300);
    out[name] = median(Array.from({ length: rounds }, () => opsPerSecond(once, ms)));
  }
  return out;
}

/**
 * Median decisions/s of the engine's whole `decide()` for a token whose claims pass (identity + claims read +
 * evaluate + audit record), i.e. all the CPU the claims path adds to a request after authkit ran.
 */
export async function decideThroughput(rounds = 5, ms = 600): Promise<number> {
  const engine = createSessionMfa({ ledger: createSessionLedger({ store: memoryStore() }), now: () => NOW });
  const context = { target: 'GET /mfa/hello', requestId: 'bench' };
  const batch = async (): Promise<number> => {
    const started = performance.now();
    let calls = 0;
    while (performance.now() - started < ms) {
      for (let i = 0; i < 1000; i++) await engine.decide(TOKEN_WITH_AMR, BENCH_POLICY, context);
      calls += 1000;
    }
    return (calls / (performance.now() - started)) * 1000;
  };
  await batch();
  const runs: number[] = [];
  for (let r = 0; r < rounds; r++) runs.push(await batch());
  return median(runs);
}

/** Latency of one ledger read (GET of a real entry) as each client sees it, sequential, in milliseconds. */
export interface RoundTrip {
  readonly p50: number;
  readonly p99: number;
}

async function timeSequential(read: () => Promise<unknown>, count: number): Promise<RoundTrip> {
  for (let i = 0; i < 200; i++) await read();
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await read();
    samples[i] = performance.now() - started;
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** One GET of `sid`'s ledger key over node-redis and over `@upstash/redis` through the stand-in. */
export async function ledgerRoundTrips(
  redisUrl: string,
  upstash: { url: string; token: string },
  sid: string,
  count = 2000,
): Promise<{ nodeRedis: RoundTrip; upstash: RoundTrip }> {
  const key = scopedKey(DEFAULT_KEY_PREFIX, sid, 'ledger');
  const client = await createClient({ url: redisUrl }).connect();
  try {
    const rest = new Redis({
      url: upstash.url,
      token: upstash.token,
      automaticDeserialization: false,
      retry: { retries: 0 },
    });
    return {
      nodeRedis: await timeSequential(() => client.get(key), count),
      upstash: await timeSequential(() => rest.get(key), count),
    };
  } finally {
    client.destroy();
  }
}

/** What ledger entries cost in Redis memory. */
export interface LedgerMemory {
  /** `MEMORY USAGE` of one real entry (key, value, object overhead; not the expiry). */
  readonly memoryUsageBytes: number;
  /** Stored value length in bytes. */
  readonly valueBytes: number;
  /** Growth of `used_memory` per entry when `sampleSize` entries with TTL are added (dictionaries and expiry included). */
  readonly usedMemoryPerEntry: number;
  readonly sampleSize: number;
}

function usedMemory(info: string): number {
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO memory has no used_memory line.');
  return Number(match[1]);
}

/** A WorkOS-shaped id: `<prefix>_` + 26 Crockford characters, unique per `n`. */
function workosId(prefix: string, n: number): string {
  return `${prefix}_01JBENCH${n.toString(32).toUpperCase().padStart(18, '0')}`;
}

/**
 * Measures a real entry (the one at `sid`) with `MEMORY USAGE`, then adds `sampleSize` step-up-shaped
 * entries with a 12 h TTL in database 1 and reads the growth of `used_memory`; database 1 is emptied after.
 */
export async function ledgerMemory(redisUrl: string, sid: string, sampleSize = 100_000): Promise<LedgerMemory> {
  const key = scopedKey(DEFAULT_KEY_PREFIX, sid, 'ledger');
  const client = await createClient({ url: redisUrl }).connect();
  const scratch = await createClient({ url: redisUrl, database: 1 }).connect();
  try {
    const memoryUsageBytes = Number(await client.memoryUsage(key, { SAMPLES: 0 }));
    const valueBytes = Buffer.byteLength((await client.get(key)) ?? '');
    await scratch.flushDb();
    const before = usedMemory(await client.info('memory'));
    // The library's own serializer writes the entries; the generous timeout is for a busy shared machine.
    const ledger = createSessionLedger({
      timeoutMs: 60_000,
      store: {
        name: 'bulk',
        get: async () => null,
        delete: async () => false,
        set: async (k, v, ttl) => void (await scratch.set(k, v, { expiration: { type: 'EX', value: ttl } })),
      },
    });
    for (let start = 0; start < sampleSize; start += 1000) {
      const writes: Promise<void>[] = [];
      for (let n = start; n < Math.min(sampleSize, start + 1000); n++) {
        writes.push(
          ledger.record({
            ...STEP_UP_ENTRY,
            sessionId: workosId('session', n),
            userId: workosId('user', n),
            verifiedAt: Math.floor(Date.now() / 1000),
            factorId: workosId('auth_factor', n),
            challengeId: workosId('auth_challenge', n),
          }),
        );
      }
      await Promise.all(writes);
    }
    const after = usedMemory(await client.info('memory'));
    await scratch.flushDb();
    return { memoryUsageBytes, valueBytes, usedMemoryPerEntry: (after - before) / sampleSize, sampleSize };
  } finally {
    client.destroy();
    scratch.destroy();
  }
}
