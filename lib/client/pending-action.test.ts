import { describe, expect, it } from 'vitest';
import { dropPendingActions, savePendingAction, takePendingAction, type PendingStore } from './pending-action';

function memoryStorage(): PendingStore & { size(): number } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
    size: () => map.size,
  };
}

const NOW = 1_760_000_000_000;
const MAX = 15 * 60_000;

describe('pending step-up actions', () => {
  it('can be taken exactly once', () => {
    const store = memoryStorage();
    savePendingAction(store, { nonce: 'nonce-0001', key: 'rotate', args: [{ id: 7 }, 'x'], now: NOW });
    expect(takePendingAction(store, { nonce: 'nonce-0001', key: 'rotate', now: NOW + 1000, maxAgeMs: MAX })).toEqual({
      status: 'found',
      args: [{ id: 7 }, 'x'],
    });
    expect(takePendingAction(store, { nonce: 'nonce-0001', key: 'rotate', now: NOW + 2000, maxAgeMs: MAX })).toEqual({
      status: 'missing',
    });
    expect(store.size()).toBe(0);
  });

  it("leaves another hook's action alone and drops expired ones unrun", () => {
    const store = memoryStorage();
    savePendingAction(store, { nonce: 'nonce-0002', key: 'rotate', args: [], now: NOW });
    expect(takePendingAction(store, { nonce: 'nonce-0002', key: 'delete', now: NOW, maxAgeMs: MAX })).toEqual({
      status: 'other_key',
    });
    expect(takePendingAction(store, { nonce: 'nonce-0002', key: 'rotate', now: NOW + MAX + 1, maxAgeMs: MAX })).toEqual(
      { status: 'expired' },
    );
    expect(store.size()).toBe(0);
  });

  it('refuses arguments that do not survive JSON', () => {
    const store = memoryStorage();
    expect(() =>
      savePendingAction(store, { nonce: 'nonce-0003', key: 'k', args: [new Map([[1, 2]])], now: NOW }),
    ).toThrow(expect.objectContaining({ code: 'step_up_unavailable' }));
    expect(() => savePendingAction(store, { nonce: 'nonce-0003', key: 'k', args: [undefined], now: NOW })).toThrow(
      expect.objectContaining({ code: 'step_up_unavailable' }),
    );
    expect(store.size()).toBe(0);
  });

  it('keeps a FormData argument (its text fields, repeated names in order) and refuses one with a file', () => {
    const store = memoryStorage();
    const form = new FormData();
    form.append('note', 'quarterly rotation');
    form.append('tag', 'a');
    form.append('tag', 'b');
    savePendingAction(store, { nonce: 'nonce-0007', key: 'rotate', args: [form, 3], now: NOW });
    const taken = takePendingAction(store, { nonce: 'nonce-0007', key: 'rotate', now: NOW, maxAgeMs: MAX });
    expect(taken.status).toBe('found');
    const [restored, n] = (taken as { args: unknown[] }).args;
    expect(restored).toBeInstanceOf(FormData);
    expect([...(restored as FormData)]).toEqual([
      ['note', 'quarterly rotation'],
      ['tag', 'a'],
      ['tag', 'b'],
    ]);
    expect(n).toBe(3);

    const withFile = new FormData();
    withFile.append('upload', new Blob(['x']), 'x.txt');
    expect(() => savePendingAction(store, { nonce: 'nonce-0008', key: 'k', args: [withFile], now: NOW })).toThrow(
      expect.objectContaining({ code: 'step_up_unavailable' }),
    );
    expect(store.size()).toBe(0);
  });

  it('drops every saved action of one key (the user came back without finishing)', () => {
    const store = memoryStorage();
    savePendingAction(store, { nonce: 'nonce-0004', key: 'rotate', args: [], now: NOW });
    savePendingAction(store, { nonce: 'nonce-0005', key: 'rotate', args: [], now: NOW });
    savePendingAction(store, { nonce: 'nonce-0006', key: 'other', args: [], now: NOW });
    expect(dropPendingActions(store, 'rotate')).toBe(2);
    expect(store.size()).toBe(1);
  });
});
