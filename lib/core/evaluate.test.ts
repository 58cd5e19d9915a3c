import { describe, expect, it } from 'vitest';
import { readMfaClaims, type ClaimsEvidence, type SessionIdentity } from './claims';
import { DENIAL_PRECEDENCE, type DecisionReason } from './decision';
import { evaluate, type EvidenceInput } from './evaluate';
import type { LedgerEntry } from './ledger-entry';
import type { LedgerLookup } from './ledger-lookup';
import { defineMfaPolicy, mfaPreset, type MfaPolicy } from './policy';

const NOW = 1_800_000_000;
const session: SessionIdentity = { userId: 'user_alice', sessionId: 'session_1', organizationId: 'org_acme' };
const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  sessionId: 'session_1',
  userId: 'user_alice',
  verifiedAt: NOW - 60,
  methods: ['otp'],
  source: 'step_up',
  ...over,
});
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
  {
    name: 'ledger entry of this session within maxAge',
    input: { session, ledger: found() },
    reason: 'verified',
    outcome: 'allow',
  },
  {
    name: 'amr mfa claim within maxAge',
    input: { session, claims: claims({ amr: ['pwd', 'mfa'], auth_time: NOW - 10 }) },
    reason: 'verified',
    outcome: 'allow',
  },
  { name: 'no session at all', input: { session: null, ledger: found() }, reason: 'not_signed_in', outcome: 'deny' },
  {
    name: 'policy could not be resolved',
    input: { session, ledger: found() },
    policy: null,
    reason: 'policy_error',
    outcome: 'deny',
  },
  {
    name: 'nothing recorded and no claims',
    input: { session, ledger: { status: 'missing' }, claims: claims({}) },
    reason: 'no_evidence',
    outcome: 'step_up',
  },
  {
    name: 'password-only amr',
    input: { session, claims: claims({ amr: ['pwd'], auth_time: NOW }) },
    reason: 'no_evidence',
    outcome: 'step_up',
  },
  {
    name: 'ledger entry older than maxAge',
    input: { session, ledger: found({ verifiedAt: NOW - 601 }) },
    reason: 'stale',
    outcome: 'step_up',
  },
  {
    name: 'amr mfa without auth_time under a maxAge policy',
    input: { session, claims: claims({ amr: ['mfa'] }) },
    reason: 'missing_timestamp',
    outcome: 'step_up',
  },
  {
    name: 'otp where hwk is demanded',
    input: { session, ledger: found() },
    policy: defineMfaPolicy({ maxAge: '1h', methods: ['hwk'] }),
    reason: 'method_not_accepted',
    outcome: 'step_up',
  },
  {
    name: 'second-factor step-up under AAL3',
    input: { session, ledger: found() },
    policy: mfaPreset('aal3'),
    reason: 'factors_not_reproven',
    outcome: 'step_up',
  },
  {
    name: 'entry of another session',
    input: { session, ledger: found({ sessionId: 'session_2' }) },
    reason: 'foreign_session',
    outcome: 'step_up',
  },
  {
    name: 'entry of another user',
    input: { session, ledger: found({ userId: 'user_mallory' }) },
    reason: 'foreign_user',
    outcome: 'step_up',
  },
  {
    name: 'corrupt ledger value',
    input: { session, ledger: { status: 'malformed' } },
    reason: 'malformed_evidence',
    outcome: 'step_up',
  },
  {
    name: 'amr of the wrong type',
    input: { session, claims: claims({ amr: 'mfa', auth_time: NOW }) },
    reason: 'malformed_evidence',
    outcome: 'step_up',
  },
  {
    name: 'ledger verifiedAt beyond clock skew',
    input: { session, ledger: found({ verifiedAt: NOW + 61 }) },
    reason: 'malformed_evidence',
    outcome: 'step_up',
  },
  {
    name: 'ledger down',
    input: { session, ledger: { status: 'unavailable', detail: 'timeout' } },
    reason: 'ledger_unavailable',
    outcome: 'deny',
  },
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
      const d = evaluate(
        { session, ledger: found({ userId: 'user_bob', sessionId: 'session_1' }) },
        mfaPreset('lax'),
        NOW,
      );
      expect(d.allowed).toBe(false);
    });
    it('ledger failure is not masked by a missing claim; valid claims still pass', () => {
      const down: LedgerLookup = { status: 'unavailable', detail: 'ECONNREFUSED' };
      expect(evaluate({ session, claims: claims({ amr: ['pwd'] }), ledger: down }, strict, NOW).reason).toBe(
        'ledger_unavailable',
      );
      expect(
        evaluate({ session, claims: claims({ amr: ['pwd', 'otp'], auth_time: NOW }), ledger: down }, strict, NOW)
          .allowed,
      ).toBe(true);
    });
    it('ignores sources the policy does not trust', () => {
      const ledgerOnly = defineMfaPolicy({ maxAge: '10m', sources: ['ledger'] });
      expect(evaluate({ session, claims: claims({ amr: ['mfa'], auth_time: NOW }) }, ledgerOnly, NOW).reason).toBe(
        'no_evidence',
      );
      const claimsOnly = defineMfaPolicy({ maxAge: '10m', sources: ['claims'] });
      expect(evaluate({ session, ledger: found() }, claimsOnly, NOW).reason).toBe('no_evidence');
    });
    it('a non-finite clock denies', () => {
      expect(evaluate({ session, ledger: found() }, strict, Number.NaN).allowed).toBe(false);
    });
    it('reports the most alarming reason when several apply', () => {
      const d = evaluate(
        { session, claims: claims({ amr: ['pwd'], auth_time: NOW - 9999 }), ledger: found({ userId: 'user_eve' }) },
        strict,
        NOW,
      );
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
    it('prefers the freshest passing evidence, and on a tie the token', () => {
      const d = evaluate(
        { session, claims: claims({ amr: ['mfa'], auth_time: NOW - 300 }), ledger: found({ verifiedAt: NOW - 5 }) },
        strict,
        NOW,
      );
      expect(d.evidence?.source).toBe('ledger');
      expect(
        evaluate(
          { session, claims: claims({ amr: ['mfa'], auth_time: NOW - 5 }), ledger: found({ verifiedAt: NOW - 300 }) },
          strict,
          NOW,
        ).evidence?.source,
      ).toBe('claims');
      expect(
        evaluate(
          { session, claims: claims({ amr: ['mfa'], auth_time: NOW - 5 }), ledger: found({ verifiedAt: NOW - 5 }) },
          strict,
          NOW,
        ).evidence?.source,
      ).toBe('claims');
    });
    it('evidence with a time ranks above evidence without one, however old', () => {
      const any = defineMfaPolicy({ name: 'any' });
      expect(
        evaluate({ session, claims: claims({ amr: ['mfa'] }), ledger: found({ verifiedAt: 1_000_000_000 }) }, any, NOW)
          .evidence,
      ).toMatchObject({ source: 'ledger', verifiedAt: 1_000_000_000 });
    });
    it('reports the first evidence when two fail for the same reason', () => {
      const d = evaluate(
        { session, claims: claims({ amr: ['mfa'], auth_time: NOW - 900 }), ledger: found({ verifiedAt: NOW - 700 }) },
        strict,
        NOW,
      );
      expect(d.reason).toBe('stale');
      expect(d.evidence).toMatchObject({ source: 'claims', ageSeconds: 900 });
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
      expect(
        evaluate({ session, claims: claims({ acr: 'urn:okta:loa:2fa:any:ifpossible', auth_time: NOW }) }, phr, NOW)
          .reason,
      ).toBe('no_evidence');
    });
    it('AAL3 is satisfied by a fresh full sign-in with two factors', () => {
      expect(
        evaluate({ session, claims: claims({ amr: ['pwd', 'hwk'], auth_time: NOW - 60 }) }, mfaPreset('aal3'), NOW)
          .allowed,
      ).toBe(true);
      expect(
        evaluate(
          { session, ledger: found({ source: 'reauthentication', methods: ['pwd', 'otp'] }) },
          mfaPreset('aal3'),
          NOW,
        ).allowed,
      ).toBe(true);
    });
  });
});

describe('a methods policy', () => {
  const hwk = defineMfaPolicy({ name: 'hwk', maxAge: '1h', methods: ['hwk'], acrValues: ['phr'] });
  it('passes evidence that used one of its methods, from the ledger and from claims', () => {
    expect(evaluate({ session, ledger: found({ methods: ['hwk'] }) }, hwk, NOW).reason).toBe('verified');
    expect(evaluate({ session, ledger: found({ methods: ['otp', 'hwk'] }) }, hwk, NOW).reason).toBe('verified');
    expect(evaluate({ session, claims: claims({ amr: ['pwd', 'fido'], auth_time: NOW - 5 }) }, hwk, NOW).reason).toBe(
      'verified',
    );
  });
  it('refuses MFA proven through acr alone: an accepted acr names no method', () => {
    expect(evaluate({ session, claims: claims({ acr: 'phr', auth_time: NOW - 5 }) }, hwk, NOW).reason).toBe(
      'method_not_accepted',
    );
  });
  it('refuses MFA by other methods', () => {
    expect(
      evaluate({ session, claims: claims({ amr: ['pwd', 'otp', 'mfa'], auth_time: NOW - 5 }) }, hwk, NOW).reason,
    ).toBe('method_not_accepted');
  });
});

describe('AAL3: both factors re-proven together', () => {
  const aal3 = mfaPreset('aal3');
  it('a token showing MFA only through the mfaMethods option proves one factor, not both', () => {
    const c = readMfaClaims({ amr: ['otp'], auth_time: NOW - 5 }, { mfaMethods: ['otp'] });
    expect(evaluate({ session, claims: c }, strict, NOW).reason).toBe('verified');
    expect(evaluate({ session, claims: c }, aal3, NOW).reason).toBe('factors_not_reproven');
  });
  it.each([
    ['step_up', ['otp'], 'factors_not_reproven'],
    ['step_up', ['pwd', 'otp'], 'factors_not_reproven'],
    ['step_up', ['mfa'], 'factors_not_reproven'],
    ['webhook', ['otp'], 'factors_not_reproven'],
    ['webhook', ['pwd', 'otp'], 'factors_not_reproven'],
    ['webhook', ['mfa'], 'factors_not_reproven'],
    ['reauthentication', ['otp'], 'factors_not_reproven'],
    ['reauthentication', ['pwd', 'pin'], 'factors_not_reproven'],
    ['reauthentication', ['pwd', 'constructor'], 'factors_not_reproven'],
    ['reauthentication', ['pwd', '__proto__'], 'factors_not_reproven'],
    ['reauthentication', ['pwd', 'otp'], 'verified'],
    ['reauthentication', ['mfa'], 'verified'],
    ['reauthentication', ['otp', 'fpt'], 'verified'],
  ] as const)('a %s entry with %j → %s', (source, methods, reason) => {
    expect(evaluate({ session, ledger: found({ source, methods: [...methods] }) }, aal3, NOW).reason).toBe(reason);
  });
  it('an accepted acr counts as both factors', () => {
    const acrAal3 = mfaPreset('aal3', { acrValues: ['phrh'] });
    expect(evaluate({ session, claims: claims({ acr: 'phrh', auth_time: NOW - 5 }) }, acrAal3, NOW).reason).toBe(
      'verified',
    );
    expect(
      evaluate({ session, claims: claims({ amr: ['otp'], acr: 'phrh', auth_time: NOW - 5 }) }, acrAal3, NOW).reason,
    ).toBe('verified');
  });
});

describe('acr beside a good amr', () => {
  const phr = defineMfaPolicy({ maxAge: '1h', acrValues: ['phr'] });
  it.each([
    ['blank', ''],
    ['whitespace only', '  \t'],
    ['over 256 characters', 'p'.repeat(257)],
    ['a number', 2],
    ['null', null],
    ['a list', ['phr']],
  ])('a %s acr makes the token malformed evidence', (_name, acr) => {
    const d = evaluate({ session, claims: claims({ amr: ['pwd', 'otp'], acr, auth_time: NOW - 5 }) }, phr, NOW);
    expect(d.reason).toBe('malformed_evidence');
    expect(d.allowed).toBe(false);
  });
  it('an acr of exactly 256 characters is read, and proves nothing unless accepted', () => {
    expect(evaluate({ session, claims: claims({ acr: 'p'.repeat(256), auth_time: NOW - 5 }) }, phr, NOW).reason).toBe(
      'no_evidence',
    );
    expect(
      evaluate({ session, claims: claims({ amr: ['pwd', 'otp'], acr: 'p'.repeat(256), auth_time: NOW - 5 }) }, phr, NOW)
        .reason,
    ).toBe('verified');
  });
});

describe('auth_time and per-method amr timestamps together', () => {
  it('auth_time wins: an old auth_time is stale even if a method timestamp is fresh', () => {
    const c = claims({
      amr: [
        { method: 'pwd', timestamp: NOW - 5 },
        { method: 'totp', timestamp: NOW - 5 },
      ],
      auth_time: NOW - 5000,
    });
    expect(c.authTime).toBe(NOW - 5000);
    expect(evaluate({ session, claims: c }, strict, NOW).reason).toBe('stale');
  });
  it('auth_time wins the other way too', () => {
    const c = claims({
      amr: [
        { method: 'pwd', timestamp: NOW - 5000 },
        { method: 'totp', timestamp: NOW - 5000 },
      ],
      auth_time: NOW - 5,
    });
    expect(evaluate({ session, claims: c }, strict, NOW).reason).toBe('verified');
  });
});

describe('a ledger entry of the wrong shape is malformed evidence, whatever the caller passed', () => {
  it.each<[string, Record<string, unknown>]>([
    ["verifiedAt 'abc'", { verifiedAt: 'abc' }],
    ['verifiedAt null', { verifiedAt: null }],
    ['verifiedAt -5', { verifiedAt: -5 }],
    ['verifiedAt 0', { verifiedAt: 0 }],
    ['verifiedAt NaN', { verifiedAt: Number.NaN }],
    ['an unknown source', { source: 'admin' }],
    ['empty methods', { methods: [] }],
    ['non-string methods', { methods: [1] }],
    ['methods not a list', { methods: 'otp' }],
  ])('%s', (_name, over) => {
    const lookup = { status: 'found', entry: { ...entry(), ...over } } as unknown as LedgerLookup;
    for (const policy of [strict, defineMfaPolicy({ name: 'any' })]) {
      const d = evaluate({ session, ledger: lookup }, policy, NOW);
      expect(d.reason).toBe('malformed_evidence');
      expect(d.allowed).toBe(false);
    }
  });
  it('a lookup of an unknown status is malformed evidence', () => {
    expect(evaluate({ session, ledger: { status: 'fonud' } as unknown as LedgerLookup }, strict, NOW).reason).toBe(
      'malformed_evidence',
    );
  });
});

describe('claims evidence of the wrong shape never passes', () => {
  const good = claims({ amr: ['pwd', 'otp'], auth_time: NOW - 5 });
  it.each<[string, Record<string, unknown>, DecisionReason]>([
    ['authTime a string', { authTime: String(NOW) }, 'malformed_evidence'],
    ['authTime NaN', { authTime: Number.NaN }, 'malformed_evidence'],
    ['authTime fractional', { authTime: NOW - 0.5 }, 'malformed_evidence'],
    ['authTime 0', { authTime: 0 }, 'malformed_evidence'],
    ['authTime negative', { authTime: -5 }, 'malformed_evidence'],
    ['methods not a list', { methods: 'otp' }, 'malformed_evidence'],
    ['malformed not a list', { malformed: undefined }, 'malformed_evidence'],
    ['amrShowsMfa a string', { amrShowsMfa: 'yes' }, 'no_evidence'],
    ['fromIdp missing', { fromIdp: undefined }, 'no_evidence'],
  ])('%s → %s', (_name, over, reason) => {
    const c = { ...good, ...over } as unknown as ClaimsEvidence;
    const d = evaluate({ session, claims: c }, defineMfaPolicy({ name: 'any' }), NOW);
    expect(d.reason).toBe(reason);
    expect(d.allowed).toBe(false);
  });
  it('allFactors must be true, not truthy', () => {
    const c = {
      ...claims({ amr: ['otp'], auth_time: NOW - 5 }),
      amrShowsMfa: true,
      allFactors: 'yes',
    } as unknown as ClaimsEvidence;
    expect(evaluate({ session, claims: c }, mfaPreset('aal3'), NOW).reason).toBe('factors_not_reproven');
  });
  it('an acr that is not a string is never accepted', () => {
    const c = { ...claims({}), acr: ['phr'] } as unknown as ClaimsEvidence;
    expect(evaluate({ session, claims: c }, defineMfaPolicy({ acrValues: ['phr'] }), NOW).reason).toBe('no_evidence');
  });
});

describe('a session that is not an identity is not signed in', () => {
  it.each([
    { userId: 'user_alice' },
    { sessionId: 'session_1' },
    { userId: 5, sessionId: 'session_1' },
    { userId: 'user_alice', sessionId: ['session_1'] },
    { userId: '', sessionId: 'session_1' },
    { userId: 'user_alice', sessionId: '' },
    'user_alice',
  ])('%j', (s) => {
    const d = evaluate(
      { session: s as unknown as SessionIdentity, claims: claims({ amr: ['mfa'], auth_time: NOW }) },
      strict,
      NOW,
    );
    expect(d.reason).toBe('not_signed_in');
    expect(d.outcome).toBe('deny');
  });
});

describe('a policy that did not come from defineMfaPolicy / mfaPreset', () => {
  const old = found({ verifiedAt: NOW - 99_999 });
  const asPolicy = (value: unknown) => value as MfaPolicy;
  it("{ ...mfaPreset('strict'), maxAge: '10m' } does not pass evidence 99,999 s old", () => {
    for (const policy of [
      asPolicy({ ...strict, maxAge: '10m' }),
      asPolicy(Object.freeze({ ...strict, maxAge: '10m' })),
    ]) {
      const d = evaluate({ session, ledger: old }, policy, NOW);
      expect(d.allowed).toBe(false);
      expect(d.reason).toBe('policy_error');
    }
  });
  it.each<[string, Record<string, unknown>]>([
    ['maxAge a string', { maxAge: '10m' }],
    ['maxAge NaN', { maxAge: Number.NaN }],
    ['maxAge 0', { maxAge: 0 }],
    ['maxAge negative', { maxAge: -1 }],
    ['maxAge fractional', { maxAge: 1.5 }],
    ['maxAge beyond 400 days', { maxAge: 400 * 86_400 + 1 }],
    ['maxAge undefined', { maxAge: undefined }],
    ['clockSkew a string', { clockSkew: '1m' }],
    ['clockSkew NaN', { clockSkew: Number.NaN }],
    ['clockSkew 0', { clockSkew: 0 }],
    ['clockSkew beyond 400 days', { clockSkew: 400 * 86_400 + 1 }],
    ['requireAllFactors a string', { requireAllFactors: 'false' }],
    ['requireAllFactors without maxAge', { requireAllFactors: true, maxAge: null }],
    ['trustIdpMfa a string', { trustIdpMfa: 'false' }],
    ['trustIdpMfa missing', { trustIdpMfa: undefined }],
    ['methods not a list', { methods: 'otp' }],
    ['methods with a number', { methods: [1] }],
    ['acrValues not a list', { acrValues: 'phr' }],
    ['acrValues with null', { acrValues: [null] }],
    ['sources empty', { sources: [] }],
    ['sources not a list', { sources: 'ledger' }],
    ['sources unknown', { sources: ['ledger', 'cookie'] }],
    ['name missing', { name: undefined }],
  ])('%s → policy_error', (_name, over) => {
    const d = evaluate(
      { session, ledger: old, claims: claims({ amr: ['mfa'], auth_time: NOW - 99_999 }) },
      asPolicy(Object.freeze({ ...defineMfaPolicy({ maxAge: '10m' }), ...over })),
      NOW,
    );
    expect(d.reason).toBe('policy_error');
    expect(d.allowed).toBe(false);
  });
  it('a frozen copy of a real policy is still a policy', () => {
    expect(evaluate({ session, ledger: found() }, asPolicy(Object.freeze({ ...strict })), NOW).reason).toBe('verified');
    expect(
      evaluate(
        { session, ledger: found() },
        asPolicy(Object.freeze({ ...strict, maxAge: 400 * 86_400, clockSkew: 400 * 86_400 })),
        NOW,
      ).reason,
    ).toBe('verified');
  });
  it('non-objects are no policy', () => {
    for (const p of [undefined, 'strict', 600, () => strict])
      expect(evaluate({ session, ledger: found() }, asPolicy(p), NOW).reason).toBe('policy_error');
  });
});

describe('IdP-asserted MFA counts only where the policy trusts the IdP', () => {
  const carol: SessionIdentity = { userId: 'user_carol', sessionId: 'session_9', organizationId: 'org_globex' };
  const options = { idpOrganizations: ['org_globex'] };
  const idpClaims = readMfaClaims(
    {
      sub: 'user_carol',
      sid: 'session_9',
      org_id: 'org_globex',
      amr: ['pwd', 'mfa'],
      acr: 'urn:workos:acr:mfa',
      auth_time: NOW - 5,
    },
    options,
  );
  const trusting = mfaPreset('aal2', { name: 'globex-sso', trustIdpMfa: true });

  it('is not evidence under a default policy', () => {
    expect(idpClaims.fromIdp).toBe(true);
    for (const policy of [
      mfaPreset('aal2'),
      strict,
      defineMfaPolicy({ name: 'any' }),
      defineMfaPolicy({ acrValues: ['urn:workos:acr:mfa'] }),
    ]) {
      const d = evaluate({ session: carol, claims: idpClaims }, policy, NOW);
      expect(d.reason).toBe('no_evidence');
      expect(d.allowed).toBe(false);
    }
  });
  it('passes a policy with trustIdpMfa, still judged for freshness and methods', () => {
    expect(evaluate({ session: carol, claims: idpClaims }, trusting, NOW).reason).toBe('verified');
    expect(
      evaluate({ session: carol, claims: idpClaims }, mfaPreset('strict', { trustIdpMfa: true }), NOW + 601).reason,
    ).toBe('stale');
    expect(
      evaluate({ session: carol, claims: idpClaims }, mfaPreset('aal2', { trustIdpMfa: true, methods: ['hwk'] }), NOW)
        .reason,
    ).toBe('method_not_accepted');
  });
  it('does not stop the ledger: a step-up still passes', () => {
    const ledger: LedgerLookup = {
      status: 'found',
      entry: { sessionId: 'session_9', userId: 'user_carol', verifiedAt: NOW - 5, methods: ['otp'], source: 'step_up' },
    };
    expect(evaluate({ session: carol, claims: idpClaims, ledger }, mfaPreset('aal2'), NOW).reason).toBe('verified');
  });
  it('leaves WorkOS-performed MFA claims of other organizations alone', () => {
    const acme = readMfaClaims({ org_id: 'org_acme', amr: ['pwd', 'otp', 'mfa'], auth_time: NOW - 5 }, options);
    expect(acme.fromIdp).toBe(false);
    expect(evaluate({ session, claims: acme }, mfaPreset('aal2'), NOW).reason).toBe('verified');
  });
});
