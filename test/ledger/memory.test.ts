import { describe, expect, it } from 'vitest';
import { runLedgerContract } from '../../test-support/ledger-contract';
import { memoryStore } from '../../lib/ledger/memory';

runLedgerContract(
  'memory',
  async () => {
    let now = 1_760_000_000_000;
    const store = memoryStore({ now: () => now });
    return {
      store,
      raw: {
        get: (key) => store.get(key),
        set: (key, value) => store.set(key, value, 60),
        pttl: async (key) => store.pttl(key),
      },
      advanceClock: (ms) => {
        now += ms;
      },
      close: async () => store.clear(),
    };
  },
  { faultCases: false },
);

describe('memoryStore', () => {
  it('rejects a TTL that Redis would reject', async () => {
    const store = memoryStore();
    await expect(store.set('k', 'v', 0)).rejects.toThrow(RangeError);
    await expect(store.set('k', 'v', 1.5)).rejects.toThrow(RangeError);
    expect(await store.get('k')).toBeNull();
  });

  it('does not count an expired key as removed', async () => {
    let now = 0;
    const store = memoryStore({ now: () => now });
    await store.set('k', 'v', 1);
    now = 1000;
    expect(await store.delete('k')).toBe(false);
    expect(store.pttl('k')).toBe(-2);
  });

  it('uses the real clock by default', async () => {
    const store = memoryStore();
    await store.set('k', 'v', 10);
    expect(store.pttl('k')).toBeGreaterThan(9000);
    expect(store.pttl('k')).toBeLessThanOrEqual(10_000);
  });
});
