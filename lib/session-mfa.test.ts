import { describe, expect, it } from 'vitest';
import type { AuditRecord, AuditSink } from './audit/record';
import { mfaPreset } from './core/policy';
import type { LedgerStore } from './ledger/types';
import { createSessionLedger } from './ledger/ledger';
import { memoryStore } from './ledger/memory';
import { createSessionMfa } from './session-mfa';

const NOW = 1_800_000_000;
const payload = (extra: Record<string, unknown> = {}) => ({
  sub: 'user_alice',
  sid: 'session_1',
  org_id: 'org_acme',
  ...extra,
});

function collectingSink(): AuditSink & { records: AuditRecord[] } {
  const records: AuditRecord[] = [];
  return {
    name: 'test',
    records,
    async write(r) {
      records.push(r);
    },
  };
}

function countingStore(inner: LedgerStore): LedgerStore & { gets: number } {
  const s = {
    name: inner.name,
    gets: 0,
    get: async (k: string) => {
      s.gets++;
      return inner.get(k);
    },
    set: inner.set.bind(inner),
    delete: inner.delete.bind(inner),
  };
  return s;
}

function setup() {
  const store = countingStore(memoryStore({ now: () => NOW * 1000 }));
  const sink = collectingSink();
  const tasks: Promise<void>[] = [];
  const mfa = createSessionMfa({
    ledger: createSessionLedger({ store }),
    audit: [sink],
    now: () => NOW,
    defer: (t) => void tasks.push(t),
  });
  return { mfa, store, sink, settle: () => Promise.all(tasks) };
}

describe('createSessionMfa', () => {
  it('does not read the ledger when the token claims already satisfy the policy', async () => {
    const { mfa, store } = setup();
    const d = await mfa.decide(payload({ amr: ['pwd', 'otp'], auth_time: NOW - 5 }), mfaPreset('strict'), {
      target: 'GET /admin',
    });
    expect(d.allowed).toBe(true);
    expect(d.evidence?.source).toBe('claims');
    expect(store.gets).toBe(0);
  });

  it('reads the ledger once otherwise, and honours an entry for this sid and user', async () => {
    const { mfa, store } = setup();
    await mfa.recordVerification(
      { sessionId: 'session_1', userId: 'user_alice', verifiedAt: NOW - 30, methods: ['otp'], source: 'step_up' },
      { target: 'step-up', reason: 'totp_verified' },
    );
    const d = await mfa.decide(payload(), mfaPreset('strict'), { target: 'GET /admin' });
    expect(d).toMatchObject({ allowed: true, reason: 'verified', evidence: { source: 'ledger', ageSeconds: 30 } });
    expect(store.gets).toBe(1);
  });

  it('denies without a verified session and never touches the ledger', async () => {
    const { mfa, store } = setup();
    for (const p of [null, {}, { sub: 'user_alice' }, 'garbage']) {
      const d = await mfa.decide(p, mfaPreset('lax'), { target: 't' });
      expect(d.reason).toBe('not_signed_in');
      expect(d.policy?.name).toBe('lax');
    }
    expect(store.gets).toBe(0);
  });

  it('denies with policy_error when a resolver throws', async () => {
    const { mfa } = setup();
    const d = await mfa.decide(
      payload(),
      () => {
        throw new Error('boom');
      },
      { target: 't' },
    );
    expect(d).toMatchObject({ allowed: false, reason: 'policy_error', outcome: 'deny' });
  });

  it('audits every decision and ledger change, without tokens', async () => {
    const { mfa, sink, settle } = setup();
    await mfa.decide(payload(), mfaPreset('strict'), { target: 'GET /admin', requestId: 'req-1' });
    await mfa.recordVerification(
      { sessionId: 'session_1', userId: 'user_alice', verifiedAt: NOW, methods: ['otp'], source: 'step_up' },
      { target: 'step-up', reason: 'totp_verified' },
    );
    await mfa.decide(payload(), mfaPreset('strict'), { target: 'GET /admin', requestId: 'req-2' });
    await mfa.removeVerification(
      { sessionId: 'session_1', userId: 'user_alice' },
      { target: 'sign-out', reason: 'signed_out' },
    );
    await settle();
    expect(sink.records.map((r) => [r.type, r.decision ?? r.reason])).toEqual([
      ['decision', 'step_up'],
      ['ledger.recorded', 'totp_verified'],
      ['decision', 'allow'],
      ['ledger.removed', 'signed_out'],
    ]);
    expect(sink.records[0]).toMatchObject({
      reason: 'no_evidence',
      target: 'GET /admin',
      sessionId: 'session_1',
      userId: 'user_alice',
      organizationId: 'org_acme',
      requestId: 'req-1',
      policy: { name: 'strict', maxAge: 600 },
    });
    expect(sink.records[3]?.detail).toEqual({ removed: true });
    expect(sink.records[2]?.evidence).toEqual({
      source: 'ledger',
      verifiedAt: new Date(NOW * 1000).toISOString(),
      methods: ['otp'],
    });
  });

  it('a failing audit sink never changes a decision', async () => {
    const tasks: Promise<void>[] = [];
    const errors: string[] = [];
    const { createAuditTrail } = await import('./audit/trail');
    const trail = createAuditTrail(
      [
        {
          name: 'broken',
          write: async () => {
            throw new Error('disk full');
          },
        },
      ],
      { onSinkError: (sink) => void errors.push(sink) },
    );
    const mfa = createSessionMfa({ audit: trail, now: () => NOW, defer: (t) => void tasks.push(t) });
    const d = await mfa.decide(payload({ amr: ['mfa'], auth_time: NOW }), mfaPreset('strict'), { target: 't' });
    await Promise.all(tasks);
    expect(d.allowed).toBe(true);
    expect(errors).toEqual(['broken']);
  });

  it('status() evaluates several policies from one ledger read, without audit', async () => {
    const { mfa, store, sink, settle } = setup();
    await mfa.recordVerification(
      { sessionId: 'session_1', userId: 'user_alice', verifiedAt: NOW - 3600, methods: ['otp'], source: 'step_up' },
      { target: 'step-up', reason: 'totp_verified' },
    );
    await settle();
    sink.records.length = 0;
    const s = await mfa.status(payload(), { admin: mfaPreset('aal2'), keys: mfaPreset('strict') });
    expect([s.admin.allowed, s.keys.allowed, s.keys.reason]).toEqual([true, false, 'stale']);
    expect(store.gets).toBe(1);
    await settle();
    expect(sink.records).toEqual([]);
  });

  it('audits a ledger write that failed as unconfirmed, and still throws', async () => {
    const sink = collectingSink();
    const tasks: Promise<void>[] = [];
    const broken: LedgerStore = {
      name: 'broken',
      get: async () => null,
      set: async () => {
        throw new Error('ECONNRESET');
      },
      delete: async () => {
        throw new Error('ECONNRESET');
      },
    };
    const mfa = createSessionMfa({
      ledger: createSessionLedger({ store: broken }),
      audit: [sink],
      now: () => NOW,
      defer: (t) => void tasks.push(t),
    });
    await expect(
      mfa.recordVerification(
        { sessionId: 'session_1', userId: 'user_alice', verifiedAt: NOW, methods: ['otp'], source: 'step_up' },
        { target: 'step-up', reason: 'totp_verified' },
      ),
    ).rejects.toMatchObject({ code: 'ERR_MFA_LEDGER_UNAVAILABLE' });
    await expect(
      mfa.removeVerification(
        { sessionId: 'session_1', userId: 'user_alice' },
        { target: 'sign-out', reason: 'signed_out' },
      ),
    ).rejects.toMatchObject({ code: 'ERR_MFA_LEDGER_UNAVAILABLE' });
    await Promise.all(tasks);
    expect(sink.records.map((r) => [r.type, r.reason])).toEqual([
      ['ledger.unconfirmed', 'record_failed:totp_verified'],
      ['ledger.unconfirmed', 'remove_failed:signed_out'],
    ]);
  });

  it('verificationOf finds an entry only for its own session and user; no ledger means missing', async () => {
    const { mfa, store } = setup();
    await mfa.recordVerification(
      { sessionId: 'session_1', userId: 'user_alice', verifiedAt: NOW, methods: ['otp'], source: 'step_up' },
      { target: 't', reason: 'test' },
    );
    expect(await mfa.verificationOf({ sessionId: 'session_1', userId: 'user_alice' })).toMatchObject({
      status: 'found',
      entry: { sessionId: 'session_1' },
    });
    expect(await mfa.verificationOf({ sessionId: 'session_1', userId: 'user_mallory' })).toEqual({ status: 'missing' });
    // An entry stored under one session's key but naming another session (a corrupted or planted value) is not it.
    await store.set(
      'authkit-mfa:v1:{session_2}:ledger',
      JSON.stringify({
        sessionId: 'session_1',
        userId: 'user_alice',
        verifiedAt: NOW,
        methods: ['otp'],
        source: 'step_up',
      }),
      60,
    );
    expect((await store.get('authkit-mfa:v1:{session_2}:ledger')) !== null).toBe(true);
    expect(await mfa.verificationOf({ sessionId: 'session_2', userId: 'user_alice' })).toEqual({ status: 'missing' });
    expect(await createSessionMfa().verificationOf({ sessionId: 'session_1', userId: 'user_alice' })).toEqual({
      status: 'missing',
    });
  });
});
