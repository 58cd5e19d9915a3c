import { describe, expect, it } from 'vitest';
import { createEnrollmentRecords, toEnrollmentRecord } from './enrollments';
import { memoryStore } from './memory';

const record = {
  userId: 'user_bob',
  factorId: 'auth_factor_1',
  status: 'pending',
  sessionId: 'session_1',
  proof: 'email_code',
  startedAt: 1_760_000_000,
} as const;

describe('enrollment records', () => {
  it('accept only well-formed records: a confirmed one has its time, a pending one has none', () => {
    expect(toEnrollmentRecord(record)).toEqual(record);
    expect(toEnrollmentRecord({ ...record, status: 'confirmed', confirmedAt: 1_760_000_010 })).toMatchObject({
      status: 'confirmed',
    });
    for (const bad of [
      { ...record, status: 'confirmed' },
      { ...record, confirmedAt: 1 },
      { ...record, proof: 'password' },
      { ...record, userId: 'user bob' },
      { ...record, startedAt: -1 },
      null,
      [],
      'x',
    ]) {
      expect(toEnrollmentRecord(bad)).toBeNull();
    }
  });

  it('live under the user’s slot in the one key scheme, and a record under another factor’s key reads as unreadable', async () => {
    const store = memoryStore();
    const records = createEnrollmentRecords(store, 'p', 500);
    await records.write(record);
    expect(await store.get('p:v1:{user_bob}:enrollment:auth_factor_1')).toBe(JSON.stringify(record));
    await store.set('p:v1:{user_bob}:enrollment:auth_factor_2', JSON.stringify(record), 60);
    const facts = await records.read('user_bob', ['auth_factor_1', 'auth_factor_2', 'auth_factor_3']);
    expect([...facts.records.entries()]).toEqual([
      ['auth_factor_1', record],
      ['auth_factor_2', 'malformed'],
    ]);
    await expect(records.write({ ...record, factorId: 'x y' })).rejects.toThrow(/malformed/);
  });

  it('keep the earliest enrollment mark, and read an unreadable one as "always"', async () => {
    const store = memoryStore();
    const records = createEnrollmentRecords(store, 'p', 500);
    expect((await records.read('user_bob', [])).since).toBeNull();
    expect(await records.begin('user_bob', 1_760_000_100)).toBe(1_760_000_100);
    expect(await records.begin('user_bob', 1_760_000_500)).toBe(1_760_000_100);
    await store.set('p:v1:{user_bob}:enrollments-since', 'garbage', 60);
    expect((await records.read('user_bob', [])).since).toBe(0);
    expect(await records.begin('user_bob', 1_760_000_900)).toBe(0);
  });

  it('hand an email proof to one taker only, and only for its own user', async () => {
    const records = createEnrollmentRecords(memoryStore(), 'p', 500);
    await records.saveEmailProof('session_1', 'user_bob', 1_760_000_000, 600);
    expect(await records.emailProof('session_1', 'user_alice')).toBeNull();
    expect(await records.takeEmailProof('session_1', 'user_alice')).toBeNull();
    const taken = await Promise.all([
      records.takeEmailProof('session_1', 'user_bob'),
      records.takeEmailProof('session_1', 'user_bob'),
    ]);
    expect(taken.sort()).toEqual([1_760_000_000, null]);
    expect(await records.emailProof('session_1', 'user_bob')).toBeNull();
  });

  it('fail loudly when the store fails, naming it', async () => {
    const failing = { ...memoryStore(), name: 'flaky', get: async () => Promise.reject(new Error('ECONNRESET')) };
    await expect(createEnrollmentRecords(failing, 'p', 500).read('user_bob', ['auth_factor_1'])).rejects.toThrow(
      'Enrollment records unavailable (flaky: Error: ECONNRESET).',
    );
  });
});
