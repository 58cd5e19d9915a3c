import { describe, expect, it } from 'vitest';
import { readMfaClaims, type SessionIdentity } from './claims';
import { DENIAL_PRECEDENCE, type DecisionReason } from './decision';
import { evaluate, type EvidenceInput } from './evaluate';
import type { LedgerEntry } from './ledger-entry';
import type { LedgerLookup } from './ledger-lookup';
import { defineMfaPolicy, mfaPreset } from './policy';

const NOW = 1_800_000_000;
const session: SessionIdentity = { userId: 'user_alice', sessionId: 'session_1', organizationId: 'org_acme' };
const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({ sid: 'session_1', userId: 'user_alice', verifiedAt: NOW - 60, methods: ['otp'], source: 'step_up', ...over });
const found = (over: Partial<LedgerEntry> = {}): LedgerLookup => ({ status: 'found', entry: entry(over) });
const claims = (payload: Record<string, unknown>) => readMfaClaims(payload);
const strict = mfaPreset('strict'); // 600 s

interface Row {
  name: string;
  input: EvidenceInput;
  policy?: ReturnType<typeof defineMfaPolicy> | null;
  reason: DecisionReason;
  outcome: 'allow' | 'step_up' | 'deny';
}

const rows: Row[] = [
  { name: 'ledger entry of this session within maxAge', input: { session, ledger: found() }, reason: 'verified', outcome: 'allow' },
  { name: 'amr mfa claim within maxAge', input: { session, claims: claims({ amr: ['pwd', 'mfa'], auth_time: NOW - 10 }) }, reason: 'verified', outcome: 'allow' },
  { name: 'no session at all', input: { session: null, ledger: found() }, reason: 'not_signed_in', outcome: 'deny' },
  { name: 'policy could not be resolved', input: { session, ledger: found() }, policy: null, reason: 'policy_error', outcome: 'deny' },
  { name: 'nothing recorded and no claims', input: { session, ledger: { status: 'missing' }, claims: claims({}) }, reason: 'no_evidence', outcome: 'step_up' },
  { name: 'password-only amr', input: { session, claims: claims({ amr: ['pwd'], auth_time: NOW }) }, reason: 'no_evidence', outcome: 'step_up' },
  { name: 'ledger entry older than maxAge', input: { session, ledger: found({ verifiedAt: NOW - 601 }) }, reason: 'stale', outcome: 'step_up' },
  { name: 'amr mfa without auth_time under a maxAge policy', input: { session, claims: claims({ amr: ['mfa'] }) }, reason: 'missing_timestamp', outcome: 'step_up' },
  { name: 'otp where hwk is demanded', input: { session, ledger: found() }, policy: defineMfaPolicy({ maxAge: '1h', methods: ['hwk'] }), reason: 'method_not_accepted', outcome: 'step_up' },
  { name: 'second-factor step-up under AAL3', input: { session, ledger: found() }, policy: mfaPreset('aal3'), reason: 'factors_not_reproven', outcome: 'step_up' },
  { name: 'entry of another session', input: { session, ledger: found({ sid: 'session_2' }) }, reason: 'foreign_session', outcome: 'step_up' },
  { name: 'entry of another user', input: { session, ledger: found({ userId: 'user_mallory' }) }, reason: 'foreign_user', outcome: 'step_up' },
  { name: 'corrupt ledger value', input: { session, ledger: { status: 'malformed' } }, reason: 'malformed_evidence', outcome: 'step_up' },
  { name: 'amr of the wrong type', input: { session, claims: claims({ amr: 'mfa', auth_time: NOW }) }, reason: 'malformed_evidence', outcome: 'step_up' },
  { name: 'ledger verifiedAt beyond clock skew', input: { session, ledger: found({ verifiedAt: NOW + 61 }) }, reason: 'malformed_evidence', outcome: 'step_up' },
  { name: 'ledger down', input: { session, ledger: { status: 'unavailable', detail: 'timeout' } }, reason: 'ledger_unavailable', outcome: 'deny' },
];

describe('evaluate', () => {
  it.each(rows)('$name → $reason', ({ input, policy, reason, outcome }) => {
    const decision = evaluate(input, policy === undefined ? strict : policy, NOW);
    expect(decision.reason).toBe(reason);
    expect(decision.outcome).toBe(outcome);
    expect(decision.allowed).toBe(outcome === 'allow');
    expect(decision.stepUp !== null).toBe(outcome === 'step_up');
  });

  it('has a row for every reason code', () => {
    const covered = new Set(rows.map((r) => r.reason));
    for (const reason of [...DENIAL_PRECEDENCE, 'verified' as const]) expect(covered, reason).toContain(reason);
  });

  describe('freshness boundaries (maxAge 600 s, skew 60 s)', () => {
    it.each([
      [NOW - 600, 'verified'], // exactly maxAge old passes
      [NOW - 601, 'stale'],
      [NOW, 'verified'],
      [NOW + 60, 'verified'], // within skew
      [NOW + 61, 'malformed_evidence'], // beyond skew
    ] as const)('verifiedAt %i → %s', (verifiedAt, reason) => {
      expect(evaluate({ session, ledger: found({ verifiedAt }) }, strict, NOW).reason).toBe(reason);
    });

    it('reports age 0 for evidence slightly in the future', () => {
      expect(evaluate({ session, ledger: found({ verifiedAt: NOW + 30 }) }, strict, NOW).evidence?.ageSeconds).toBe(0);
    });

    it('a policy without maxAge accepts old evidence and evidence without a time', () => {
      const any = defineMfaPolicy({ name: 'any' });
      expect(evaluate({ session, ledger: found({ verifiedAt: NOW - 86_400 * 30 }) }, any, NOW).allowed).toBe(true);
      expect(evaluate({ session, claims: claims({ amr: ['mfa'] }) }, any, NOW).allowed).toBe(true);
    });
  });

  describe('fail-closed', () => {
    it('a foreign entry is never accepted even when claims are absent and policy is lax', () => {
      const d = evaluate({ session, ledger: found({ userId: 'user_bob', sid: 'session_1' }) }, mfaPreset('lax'), NOW);
      expect(d.allowed).toBe(false);
    });
    it('ledger failure is not masked by a missing claim; valid claims still pass', () => {
      const down: LedgerLookup = { status: 'unavailable', detail: 'ECONNREFUSED' };
      expect(evaluate({ session, claims: claims({ amr: ['pwd'] }), ledger: down }, strict, NOW).reason).toBe('ledger_unavailable');
      expect(evaluate({ session, claims: claims({ amr: ['pwd', 'otp'], auth_time: NOW }), ledger: down }, strict, NOW).allowed).toBe(true);
    });
    it('ignores sources the policy does not trust', () => {
      const ledgerOnly = defineMfaPolicy({ maxAge: '10m', sources: ['ledger'] });
      expect(evaluate({ session, claims: claims({ amr: ['mfa'], auth_time: NOW }) }, ledgerOnly, NOW).reason).toBe('no_evidence');
      const claimsOnly = defineMfaPolicy({ maxAge: '10m', sources: ['claims'] });
      expect(evaluate({ session, ledger: found() }, claimsOnly, NOW).reason).toBe('no_evidence');
    });
    it('a non-finite clock denies', () => {
      expect(evaluate({ session, ledger: found() }, strict, Number.NaN).allowed).toBe(false);
    });
    it('reports the most alarming reason when several apply', () => {
      const d = evaluate({ session, claims: claims({ amr: ['pwd'], auth_time: NOW - 9999 }), ledger: found({ userId: 'user_eve' }) }, strict, NOW);
      expect(d.reason).toBe('foreign_user');
    });
  });

  describe('evidence reported', () => {
    it('names the source, time, methods and age of the evidence that passed', () => {
      const d = evaluate({ session, ledger: found({ verifiedAt: NOW - 42 }) }, strict, NOW);
      expect(d.evidence).toEqual({ source: 'ledger', verifiedAt: NOW - 42, methods: ['otp'], ageSeconds: 42 });
      expect(d.session).toEqual(session);
      expect(d.policy?.name).toBe('strict');
      expect(d.decidedAt).toBe(NOW);
    });
    it('prefers the freshest passing evidence', () => {
      const d = evaluate({ session, claims: claims({ amr: ['mfa'], auth_time: NOW - 300 }), ledger: found({ verifiedAt: NOW - 5 }) }, strict, NOW);
      expect(d.evidence?.source).toBe('ledger');
    });
    it('reports the stale evidence and what step-up must prove', () => {
      const d = evaluate({ session, ledger: found({ verifiedAt: NOW - 700 }) }, strict, NOW);
      expect(d.evidence?.ageSeconds).toBe(700);
      expect(d.stepUp).toEqual({ policy: 'strict', maxAge: 600, methods: [], acrValues: [], requireAllFactors: false });
    });
  });

  describe('acr and AAL3', () => {
    const phr = defineMfaPolicy({ maxAge: '1h', acrValues: ['phr'] });
    it('an accepted acr proves MFA', () => {
      expect(evaluate({ session, claims: claims({ acr: 'phr', auth_time: NOW - 5 }) }, phr, NOW).allowed).toBe(true);
    });
    it('an acr outside the accepted list proves nothing', () => {
      expect(evaluate({ session, claims: claims({ acr: 'urn:okta:loa:2fa:any:ifpossible', auth_time: NOW }) }, phr, NOW).reason).toBe('no_evidence');
    });
    it('AAL3 is satisfied by a fresh full sign-in with two factors', () => {
      expect(evaluate({ session, claims: claims({ amr: ['pwd', 'hwk'], auth_time: NOW - 60 }) }, mfaPreset('aal3'), NOW).allowed).toBe(true);
      expect(evaluate({ session, ledger: found({ source: 'reauthentication', methods: ['pwd', 'otp'] }) }, mfaPreset('aal3'), NOW).allowed).toBe(true);
    });
  });
});
