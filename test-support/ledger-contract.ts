import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerUnavailableError, MfaError } from '../lib/core/errors';
import type { LedgerEntry } from '../lib/core/ledger-entry';
import { createSessionLedger, DEFAULT_LEDGER_TTL_SECONDS, type SessionLedger } from '../lib/ledger/ledger';
import type { LedgerStore } from '../lib/ledger/types';
import type { RawAccess } from './redis-raw';
import { waitUntil } from './wait-until';

/** A store that can be frozen (its server stops answering) and thawed. */
export interface StallableStore {
  store: LedgerStore;
  stall(): void | Promise<void>;
  resume(): void | Promise<void>;
  close(): Promise<void>;
}

/** What one adapter gives the contract suite. */
export interface LedgerHarness {
  /** The adapter under test, on a healthy backend. */
  store: LedgerStore;
  /** The same keys, read and written without the adapter. */
  raw: RawAccess;
  /** Fake clock of an in-process store: expiry is tested by advancing it instead of waiting. */
  advanceClock?: (ms: number) => void;
  /** Fault controls; stores without a network (memory) have none. */
  faults?: {
    /** A store whose client points at a port nobody listens on. */
    unreachable(): Promise<LedgerStore>;
    /** A store on a dedicated server that can be frozen (never the shared one: other files use it). */
    stallable(): Promise<StallableStore>;
  };
  /** Releases clients and servers. */
  close(): Promise<void>;
}

/** Timeout of the fault cases (the library default) and the slack allowed on top of it. */
export const CONTRACT_TIMEOUT_MS = 500;
const SLACK_MS = 250;

const newSid = () => `session_${randomUUID().replaceAll('-', '')}`;
const keyOf = (sid: string, prefix = 'authkit-mfa') => `${prefix}:v1:{${sid}}:ledger`;

function entryFor(sid: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    sessionId: sid,
    userId: 'user_01JABCDEF',
    organizationId: 'org_01JABCDEF',
    verifiedAt: 1_760_000_000,
    methods: ['otp'],
    factorId: 'auth_factor_01JABCDEF',
    challengeId: 'auth_challenge_01JABCDEF',
    source: 'step_up',
    ...overrides,
  };
}

/** Stored values that must read as `malformed`, never as evidence. */
function corruptValues(sid: string): Array<[string, string]> {
  const valid = entryFor(sid);
  const variant = (patch: Record<string, unknown>) => JSON.stringify({ ...valid, ...patch });
  return [
    ['not JSON', 'not json'],
    ['truncated JSON', JSON.stringify(valid).slice(0, -3)],
    ['empty object', '{}'],
    ['array', '[]'],
    ['JSON null', 'null'],
    ['number', '42'],
    ['entry wrapped in a JSON string', JSON.stringify(JSON.stringify(valid))],
    ['sessionId of wrong type', variant({ sessionId: 12345 })],
    ['userId missing', variant({ userId: undefined })],
    ['unsafe userId', variant({ userId: 'user 1; DROP' })],
    ['verifiedAt as a string', variant({ verifiedAt: '1760000000' })],
    ['verifiedAt in milliseconds', variant({ verifiedAt: 1_760_000_000_000 })],
    ['verifiedAt in the year 3000', variant({ verifiedAt: 32_503_680_000 })],
    ['fractional verifiedAt', variant({ verifiedAt: 1_760_000_000.5 })],
    ['methods empty', variant({ methods: [] })],
    ['methods a string', variant({ methods: 'otp' })],
    ['methods with a number', variant({ methods: [1] })],
    ['unknown source', variant({ source: 'admin' })],
  ];
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - start) };
}

async function timedRejection(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  const error = await work().then(
    () => new Error('expected a rejection, got success'),
    (e: unknown) => e,
  );
  return { error, ms: Math.round(performance.now() - start) };
}

/** Options of {@link runLedgerContract}. */
export interface ContractOptions {
  /**
   * Register the unreachable/slow cases; `false` only for in-process stores, which have no network to fail.
   * @default true
   */
  faultCases?: boolean;
}

/**
 * The behaviour every {@link LedgerStore} must show through `createSessionLedger`, registered as a
 * `describe` block. Fault cases need `harness.faults` unless `options.faultCases` is `false`.
 * @example
 * ```ts title="test/ledger/memory.test.ts"
 * runLedgerContract('memory', async () => ({ store, raw, advanceClock, close: async () => {} }), { faultCases: false });
 * ```
 */
export function runLedgerContract(
  name: string,
  makeHarness: () => Promise<LedgerHarness>,
  options: ContractOptions = {},
): void {
  describe(`ledger contract: ${name}`, () => {
    let h: LedgerHarness;
    let ledger: SessionLedger;

    beforeAll(async () => {
      h = await makeHarness();
      ledger = createSessionLedger({ store: h.store });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('round-trips a full entry and a minimal one', async () => {
      const full = entryFor(newSid());
      await ledger.record(full);
      expect(await ledger.lookup(full.sessionId)).toEqual({ status: 'found', entry: full });

      const minimal: LedgerEntry = {
        sessionId: newSid(),
        userId: 'user_2',
        verifiedAt: 1_700_000_000,
        methods: ['otp', 'hwk'],
        source: 'webhook',
      };
      await ledger.record(minimal);
      expect(await ledger.lookup(minimal.sessionId)).toEqual({ status: 'found', entry: minimal });
    });

    it('reports a session with no entry as missing', async () => {
      expect(await ledger.lookup(newSid())).toEqual({ status: 'missing' });
    });

    it('replaces the entry when the same session is recorded again', async () => {
      const sid = newSid();
      await ledger.record(entryFor(sid, { verifiedAt: 1_760_000_000 }));
      await ledger.record(entryFor(sid, { verifiedAt: 1_760_000_600, methods: ['hwk'] }));
      expect(await ledger.lookup(sid)).toEqual({
        status: 'found',
        entry: entryFor(sid, { verifiedAt: 1_760_000_600, methods: ['hwk'] }),
      });
    });

    it('writes with the default 12-hour TTL', async () => {
      const sid = newSid();
      await ledger.record(entryFor(sid));
      const pttl = await h.raw.pttl(keyOf(sid));
      expect(pttl).toBeGreaterThan((DEFAULT_LEDGER_TTL_SECONDS - 5) * 1000);
      expect(pttl).toBeLessThanOrEqual(DEFAULT_LEDGER_TTL_SECONDS * 1000);
    });

    it('expires an entry after its TTL', async () => {
      const sid = newSid();
      await ledger.record(entryFor(sid), { ttlSeconds: 1 });
      const pttl = await h.raw.pttl(keyOf(sid));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(1000);
      expect((await ledger.lookup(sid)).status).toBe('found');
      if (h.advanceClock) {
        h.advanceClock(999);
        expect((await ledger.lookup(sid)).status).toBe('found');
        h.advanceClock(1);
      } else {
        await waitUntil(async () => (await h.raw.get(keyOf(sid))) === null, {
          timeoutMs: 5000,
          what: 'the key to expire',
        });
      }
      expect(await ledger.lookup(sid)).toEqual({ status: 'missing' });
      expect(await h.raw.get(keyOf(sid))).toBeNull();
    });

    it('removes an entry once: true, then false', async () => {
      const sid = newSid();
      await ledger.record(entryFor(sid));
      expect(await ledger.remove(sid)).toBe(true);
      expect(await ledger.lookup(sid)).toEqual({ status: 'missing' });
      expect(await ledger.remove(sid)).toBe(false);
    });

    it('keeps exactly one intact entry after concurrent writes to one session', async () => {
      const sid = newSid();
      const written = Array.from({ length: 25 }, (_, i) =>
        entryFor(sid, { verifiedAt: 1_760_000_000 + i, factorId: `auth_factor_${i}` }),
      );
      await Promise.all(written.map((entry) => ledger.record(entry)));
      const result = await ledger.lookup(sid);
      expect(result.status).toBe('found');
      expect(written).toContainEqual(result.status === 'found' ? result.entry : null);
    });

    it('keeps concurrent writes to different sessions apart', async () => {
      const entries = Array.from({ length: 10 }, (_, i) => entryFor(newSid(), { verifiedAt: 1_760_000_000 + i }));
      await Promise.all(entries.map((entry) => ledger.record(entry)));
      const results = await Promise.all(entries.map((entry) => ledger.lookup(entry.sessionId)));
      expect(results).toEqual(entries.map((entry) => ({ status: 'found', entry })));
    });

    describe('corrupt stored values are malformed, never evidence', () => {
      const sid = newSid();
      it.each(corruptValues(sid))('%s', async (_label, value) => {
        await h.raw.set(keyOf(sid), value);
        expect(await ledger.lookup(sid)).toEqual({ status: 'malformed' });
      });
    });

    it('uses namespaced, versioned, single-slot keys: <prefix>:v1:{sid}:ledger', async () => {
      const entry = entryFor(newSid());
      await ledger.record(entry);
      const stored = await h.raw.get(keyOf(entry.sessionId));
      expect(stored === null ? null : JSON.parse(stored)).toEqual(entry);

      const other = createSessionLedger({ store: h.store, keyPrefix: 'tenant-b' });
      const otherEntry = entryFor(newSid());
      await other.record(otherEntry);
      expect(await h.raw.get(keyOf(otherEntry.sessionId, 'tenant-b'))).not.toBeNull();
      expect(await ledger.lookup(otherEntry.sessionId)).toEqual({ status: 'missing' });
      expect(await other.lookup(entry.sessionId)).toEqual({ status: 'missing' });
    });

    it('treats an sid that cannot be a session id as malformed and writes nothing for it', async () => {
      expect(await ledger.lookup('session_1}:x{')).toEqual({ status: 'malformed' });
      expect(await ledger.remove('a b')).toBe(false);
      await expect(ledger.record(entryFor('bad sid'))).rejects.toBeInstanceOf(MfaError);
      expect(await h.raw.get(keyOf('bad sid'))).toBeNull();
    });

    if (options.faultCases === false) return;

    describe('faults deny within the timeout', () => {
      const faults = () => {
        if (!h.faults) throw new Error(`harness "${name}" registered fault cases but has no fault controls`);
        return h.faults;
      };

      async function expectDenials(
        broken: SessionLedger,
        sids: { read: string; write: string; remove: string },
        minMs: number,
      ) {
        const read = await timed(() => broken.lookup(sids.read));
        expect(read.value.status).toBe('unavailable');
        expect(read.value.status === 'unavailable' ? read.value.detail : '').toMatch(new RegExp(`^${h.store.name}: `));
        const write = await timedRejection(() => broken.record(entryFor(sids.write)));
        expect(write.error).toBeInstanceOf(LedgerUnavailableError);
        const removal = await timedRejection(() => broken.remove(sids.remove));
        expect(removal.error).toBeInstanceOf(LedgerUnavailableError);
        for (const { ms } of [read, write, removal]) {
          expect(ms).toBeGreaterThanOrEqual(minMs);
          expect(ms).toBeLessThan(CONTRACT_TIMEOUT_MS + SLACK_MS);
        }
        return `lookup ${read.ms} ms, record ${write.ms} ms, remove ${removal.ms} ms (timeout ${CONTRACT_TIMEOUT_MS} ms)`;
      }

      it('unreachable server: lookup is unavailable, record and remove throw LedgerUnavailableError', async ({
        annotate,
      }) => {
        const broken = createSessionLedger({ store: await faults().unreachable(), timeoutMs: CONTRACT_TIMEOUT_MS });
        const sid = newSid();
        await annotate(`unreachable: ${await expectDenials(broken, { read: sid, write: sid, remove: sid }, 0)}`);
      });

      it('server slower than the timeout: denies after the timeout, works again once it answers', async ({
        annotate,
      }) => {
        const stallable = await faults().stallable();
        try {
          const slow = createSessionLedger({ store: stallable.store, timeoutMs: CONTRACT_TIMEOUT_MS });
          const kept = entryFor(newSid());
          await slow.record(kept);
          await stallable.stall();
          // Distinct sids: the abandoned write and removal still run once the server answers again.
          const timings = await expectDenials(
            slow,
            { read: kept.sessionId, write: newSid(), remove: newSid() },
            CONTRACT_TIMEOUT_MS - 20,
          );
          await stallable.resume();
          expect(await slow.lookup(kept.sessionId)).toEqual({ status: 'found', entry: kept });
          await annotate(`stalled: ${timings}`);
        } finally {
          await stallable.resume();
          await stallable.close();
        }
      });
    });
  });
}
