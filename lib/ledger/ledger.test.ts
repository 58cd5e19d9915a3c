import { afterEach, describe, expect, it, vi } from 'vitest';
import { LedgerUnavailableError, MfaConfigError, MfaError } from '../core/errors';
import type { LedgerEntry } from '../core/ledger-entry';
import {
  createSessionLedger,
  DEFAULT_LEDGER_TIMEOUT_MS,
  DEFAULT_LEDGER_TTL_SECONDS,
  type SessionLedgerOptions,
} from './ledger';
import { memoryStore } from './memory';
import type { LedgerStore } from './types';

const entry: LedgerEntry = {
  sessionId: 'session_1',
  userId: 'user_1',
  verifiedAt: 1_760_000_000,
  methods: ['otp'],
  source: 'step_up',
};

function stubStore(overrides: Partial<LedgerStore> = {}): LedgerStore & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    name: 'stub',
    calls,
    get: vi.fn(async (key: string) => (calls.push(['get', key]), null)),
    set: vi.fn(async (...args: [string, string, number]) => void calls.push(['set', ...args])),
    delete: vi.fn(async (key: string) => (calls.push(['delete', key]), true)),
    ...overrides,
  };
}

const never = <T>() => new Promise<T>(() => undefined);

function configError(options: SessionLedgerOptions): MfaConfigError {
  try {
    createSessionLedger(options);
  } catch (error) {
    if (error instanceof MfaConfigError) return error;
    throw error;
  }
  throw new Error('expected MfaConfigError');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createSessionLedger options', () => {
  it('accepts the defaults: 500 ms timeout, 12 h TTL, authkit-mfa prefix', async () => {
    expect(DEFAULT_LEDGER_TIMEOUT_MS).toBe(500);
    expect(DEFAULT_LEDGER_TTL_SECONDS).toBe(43_200);
    const store = stubStore();
    const ledger = createSessionLedger({ store });
    await ledger.record(entry);
    expect(store.calls).toEqual([['set', 'authkit-mfa:v1:{session_1}:ledger', JSON.stringify(entry), 43_200]]);
    expect(ledger.storeName).toBe('stub');
  });

  it.each<[string, Partial<SessionLedgerOptions>]>([
    ['store', { store: undefined }],
    ['store', { store: { name: 'x' } as unknown as LedgerStore }],
    ['keyPrefix', { keyPrefix: '' }],
    ['keyPrefix', { keyPrefix: 'has{brace}' }],
    ['keyPrefix', { keyPrefix: 'has space' }],
    ['keyPrefix', { keyPrefix: 'x'.repeat(65) }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: -5 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: Number.POSITIVE_INFINITY }],
    ['timeoutMs', { timeoutMs: 2 ** 31 }],
    ['timeoutMs', { timeoutMs: '500' as unknown as number }],
    ['ttlSeconds', { ttlSeconds: 0 }],
    ['ttlSeconds', { ttlSeconds: -1 }],
    ['ttlSeconds', { ttlSeconds: 1.5 }],
    ['ttlSeconds', { ttlSeconds: Number.NaN }],
    ['ttlSeconds', { ttlSeconds: '3600' as unknown as number }],
  ])('rejects a bad %s (%o) with a config error naming it', (field, patch) => {
    const error = configError({ store: stubStore(), ...patch } as SessionLedgerOptions);
    expect(error.code).toBe('ERR_MFA_CONFIG_INVALID');
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it('accepts a fractional timeout and a custom prefix', async () => {
    const store = stubStore();
    await createSessionLedger({ store, keyPrefix: 'app.mfa:eu-1', timeoutMs: 0.5 }).record(entry);
    expect(store.calls[0]?.[1]).toBe('app.mfa:eu-1:v1:{session_1}:ledger');
  });
});

describe('record', () => {
  it('uses a shorter per-entry TTL', async () => {
    const store = stubStore();
    await createSessionLedger({ store, ttlSeconds: 3600 }).record(entry, { ttlSeconds: 60 });
    expect(store.calls[0]?.[3]).toBe(60);
  });

  it.each([0, 1.5, 3601])('refuses a per-entry TTL of %s and writes nothing', async (ttlSeconds) => {
    const store = stubStore();
    const ledger = createSessionLedger({ store, ttlSeconds: 3600 });
    await expect(ledger.record(entry, { ttlSeconds })).rejects.toMatchObject({
      name: 'MfaConfigError',
      field: 'ttlSeconds',
    });
    expect(store.calls).toEqual([]);
  });

  it('refuses a malformed entry and writes nothing', async () => {
    const store = stubStore();
    const ledger = createSessionLedger({ store });
    const bad = { ...entry, methods: [] };
    await expect(ledger.record(bad)).rejects.toMatchObject({ code: 'ERR_MFA_LEDGER_ENTRY_INVALID' });
    await expect(ledger.record({ ...entry, verifiedAt: Date.now() })).rejects.toBeInstanceOf(MfaError);
    expect(store.calls).toEqual([]);
  });

  it('wraps a store failure in LedgerUnavailableError with the cause', async () => {
    const cause = new Error('connection reset');
    const ledger = createSessionLedger({ store: stubStore({ set: () => Promise.reject(cause) }) });
    const error = await ledger.record(entry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerUnavailableError);
    expect(error).toMatchObject({ code: 'ERR_MFA_LEDGER_UNAVAILABLE', cause });
    expect((error as Error).message).toContain('stub: Error: connection reset');
  });

  it('throws LedgerUnavailableError when the store is slower than the timeout', async () => {
    vi.useFakeTimers();
    const ledger = createSessionLedger({ store: stubStore({ set: never }), timeoutMs: 200 });
    const outcome = ledger.record(entry).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(200);
    expect(await outcome).toMatchObject({
      name: 'LedgerUnavailableError',
      message: 'Ledger write failed (stub: timed out after 200 ms).',
    });
  });
});

describe('lookup', () => {
  it('finds, misses and flags corrupt values', async () => {
    const store = memoryStore();
    const ledger = createSessionLedger({ store });
    expect(await ledger.lookup('session_1')).toEqual({ status: 'missing' });
    await ledger.record(entry);
    expect(await ledger.lookup('session_1')).toEqual({ status: 'found', entry });
    await store.set('authkit-mfa:v1:{session_1}:ledger', '{"sessionId":', 60);
    expect(await ledger.lookup('session_1')).toEqual({ status: 'malformed' });
  });

  it('returns an entry stored under another sid as found: matching it to the token is the decision’s job', async () => {
    const store = memoryStore();
    await store.set('authkit-mfa:v1:{session_1}:ledger', JSON.stringify({ ...entry, sessionId: 'session_2' }), 60);
    expect(await createSessionLedger({ store }).lookup('session_1')).toEqual({
      status: 'found',
      entry: { ...entry, sessionId: 'session_2' },
    });
  });

  it.each(['', 'a b', 'x}:y{', 'ü', 's'.repeat(129)])(
    'treats the unsafe sid %j as malformed without touching the store',
    async (sid) => {
      const store = stubStore();
      expect(await createSessionLedger({ store }).lookup(sid)).toEqual({ status: 'malformed' });
      expect(store.calls).toEqual([]);
    },
  );

  it('treats a non-string from a buggy adapter as malformed', async () => {
    const store = stubStore({ get: async () => 42 as unknown as string });
    expect(await createSessionLedger({ store }).lookup('session_1')).toEqual({ status: 'malformed' });
  });

  it.each<[string, () => Promise<string | null>, string]>([
    ['a rejection', () => Promise.reject(new TypeError('fetch failed')), 'stub: TypeError: fetch failed'],
    [
      'a synchronous throw',
      () => {
        throw new Error('client is closed');
      },
      'stub: Error: client is closed',
    ],
    ['a non-Error rejection', () => Promise.reject('boom'), 'stub: boom'],
    ['a multi-line message', () => Promise.reject(new Error('first\nsecond')), 'stub: Error: first'],
  ])('reports %s as unavailable, never a throw', async (_label, get, detail) => {
    expect(await createSessionLedger({ store: stubStore({ get }) }).lookup('session_1')).toEqual({
      status: 'unavailable',
      detail,
    });
  });

  it('keeps the detail short', async () => {
    const store = stubStore({ get: () => Promise.reject(new Error('x'.repeat(1000))) });
    const result = await createSessionLedger({ store }).lookup('session_1');
    expect(result.status === 'unavailable' && result.detail.length).toBe('stub: '.length + 200);
  });

  it('answers unavailable exactly at the timeout, not before', async () => {
    vi.useFakeTimers();
    const ledger = createSessionLedger({ store: stubStore({ get: never }), timeoutMs: 300 });
    let settled: unknown;
    void ledger.lookup('session_1').then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(299);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toEqual({ status: 'unavailable', detail: 'stub: timed out after 300 ms' });
  });

  it('clears its timer when the store answers in time', async () => {
    vi.useFakeTimers();
    const ledger = createSessionLedger({ store: stubStore() });
    await ledger.lookup('session_1');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('swallows a failure that arrives after the timeout (no unhandled rejection)', async () => {
    vi.useFakeTimers();
    let fail: (error: Error) => void = () => undefined;
    const late = new Promise<string | null>((_, reject) => (fail = reject));
    const ledger = createSessionLedger({ store: stubStore({ get: () => late }), timeoutMs: 100 });
    const result = ledger.lookup('session_1');
    await vi.advanceTimersByTimeAsync(100);
    expect((await result).status).toBe('unavailable');
    fail(new Error('late'));
    await vi.advanceTimersByTimeAsync(0);
    await expect(late).rejects.toThrow('late');
  });
});

describe('remove', () => {
  it('passes through the store answer', async () => {
    const store = stubStore({ delete: async () => false });
    expect(await createSessionLedger({ store }).remove('session_1')).toBe(false);
  });

  it('answers false for an unsafe sid without touching the store', async () => {
    const store = stubStore();
    expect(await createSessionLedger({ store }).remove('not a sid')).toBe(false);
    expect(store.calls).toEqual([]);
  });

  it('throws LedgerUnavailableError on failure and on timeout', async () => {
    const failing = createSessionLedger({ store: stubStore({ delete: () => Promise.reject(new Error('down')) }) });
    await expect(failing.remove('session_1')).rejects.toMatchObject({
      name: 'LedgerUnavailableError',
      message: 'Ledger removal failed (stub: Error: down).',
    });
    vi.useFakeTimers();
    const slow = createSessionLedger({ store: stubStore({ delete: never }), timeoutMs: 50 });
    const outcome = slow.remove('session_1').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await outcome).toBeInstanceOf(LedgerUnavailableError);
  });
});
