/**
 * Hostile claims straight into the engine: payloads no real WorkOS token carries today, but an issuer, a JWT
 * template or a future claim could. Every case must deny with its reason, write nothing and read the ledger at
 * most once. The middleware path (real authkit) is exercised in tokens.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../lib/audit/record';
import { defineMfaPolicy, mfaPreset, perOrganization } from '../../lib/core/policy';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { memoryStore } from '../../lib/ledger/memory';
import type { LedgerStore } from '../../lib/ledger/types';
import { createSessionMfa } from '../../lib/session-mfa';

const NOW = 1_800_000_000;
const base = { sub: 'user_alice', sid: 'session_crafted', org_id: 'org_acme' };
const anyMfa = defineMfaPolicy({ name: 'any-mfa' }); // no maxAge: the most permissive policy there is
const aal2 = mfaPreset('aal2');

function setup() {
  const inner = memoryStore({ now: () => NOW * 1000 });
  const writes: string[] = [];
  const store: LedgerStore = {
    name: 'spy',
    get: (k) => inner.get(k),
    set: async (k, v, t) => {
      writes.push(k);
      await inner.set(k, v, t);
    },
    delete: async (k) => {
      writes.push(`del ${k}`);
      return inner.delete(k);
    },
  };
  const audit: AuditRecord[] = [];
  const mfa = createSessionMfa({
    ledger: createSessionLedger({ store }),
    audit: [{ name: 'capture', write: async (r) => void audit.push(r) }],
    now: () => NOW,
  });
  return { mfa, writes, audit };
}

async function expectDenied(payload: Record<string, unknown>, reason: string, policy = anyMfa) {
  const { mfa, writes, audit } = setup();
  const d = await mfa.decide(payload, policy, { target: 'GET /crafted' });
  expect({ allowed: d.allowed, reason: d.reason }).toEqual({ allowed: false, reason });
  expect(writes).toEqual([]);
  expect(audit.map((r) => [r.type, r.decision, r.reason])).toEqual([['decision', d.outcome, reason]]);
}

describe('amr of the wrong type never proves MFA', () => {
  it.each([
    ['a string', 'mfa'],
    ['an object', { mfa: true }],
    ['an array-like object', { 0: 'mfa', length: 1 }],
    ['numbers', [1, 2]],
    ['a number among strings', ['mfa', 1]],
    ['null inside', ['mfa', null]],
    ['a nested array', [['mfa']]],
    ['empty', []],
    ['33 entries', Array.from({ length: 33 }, () => 'mfa')],
    ['true', true],
    ['an object whose method is a number', [{ method: 5 }]],
    ['an object with a string timestamp', [{ method: 'mfa', timestamp: '1800000000' }]],
    ['an object with a timestamp in milliseconds', [{ method: 'mfa', timestamp: NOW * 1000 }]],
  ])('%s', async (_name, amr) => {
    await expectDenied({ ...base, amr, auth_time: NOW - 5 }, 'malformed_evidence');
  });

  it('values that only look like MFA prove nothing: Entra "wiaormfa", padded or unknown spellings', async () => {
    for (const amr of [['wiaormfa'], ['pwd', 'wiaormfa'], ['m f a'], ['mfa\u0000'], ['MFA '.repeat(20)]]) {
      const { mfa } = setup();
      expect(
        (await mfa.decide({ ...base, amr, auth_time: NOW }, anyMfa, { target: 't' })).allowed,
        JSON.stringify(amr),
      ).toBe(false);
    }
  });
});

describe('absurd auth_time never passes, even where the policy has no maxAge', () => {
  it.each([
    ['in the future beyond clock skew', NOW + 3600],
    ['negative', -5],
    ['zero', 0],
    ['huge', 1e15],
    ['in milliseconds', NOW * 1000],
    ['fractional', NOW - 0.5],
    ['a string', String(NOW)],
    ['null', null],
    ['an object', { t: NOW }],
  ])('%s', async (_name, authTime) => {
    await expectDenied({ ...base, amr: ['pwd', 'mfa'], auth_time: authTime }, 'malformed_evidence');
  });

  it.each([
    ['in the future', NOW + 3600],
    ['negative', -5],
    ['huge', 1e15],
  ])('%s under a maxAge policy (aal2)', async (_name, authTime) => {
    await expectDenied({ ...base, amr: ['pwd', 'otp'], auth_time: authTime }, 'malformed_evidence', aal2);
  });

  it('a per-method timestamp in the future stands in for auth_time and is refused', async () => {
    await expectDenied(
      {
        ...base,
        amr: [
          { method: 'pwd', timestamp: NOW - 10 },
          { method: 'totp', timestamp: NOW + 3600 },
        ],
      },
      'malformed_evidence',
      aal2,
    );
  });
});

describe('other hostile claims', () => {
  it('an acr of the wrong type beside MFA-looking amr is malformed evidence', async () => {
    await expectDenied({ ...base, amr: ['pwd', 'mfa'], auth_time: NOW, acr: 2 }, 'malformed_evidence');
  });

  it('an accepted acr value with a future auth_time is refused', async () => {
    await expectDenied(
      { ...base, acr: 'phr', auth_time: NOW + 3600 },
      'malformed_evidence',
      defineMfaPolicy({ name: 'phr', maxAge: '1h', acrValues: ['phr'] }),
    );
  });

  it.each([
    ['no sid', { sub: 'user_alice', amr: ['mfa'], auth_time: NOW }],
    ['no sub', { sid: 'session_crafted', amr: ['mfa'], auth_time: NOW }],
    ['a sid that would escape its key', { ...base, sid: 'session_1}:ledger{x', amr: ['mfa'], auth_time: NOW }],
    ['a sid of the wrong type', { ...base, sid: ['session_crafted'], amr: ['mfa'], auth_time: NOW }],
    ['a sub with a space', { ...base, sub: 'user alice', amr: ['mfa'], auth_time: NOW }],
  ])('%s is not a session at all', async (_name, payload) => {
    await expectDenied(payload as Record<string, unknown>, 'not_signed_in');
  });

  it('__proto__ keys in the payload grant nothing', async () => {
    const payload = JSON.parse(
      `{"sub":"user_alice","sid":"session_crafted","__proto__":{"amr":["mfa"],"auth_time":${NOW}}}`,
    ) as Record<string, unknown>;
    await expectDenied(payload, 'no_evidence');
  });

  it('a custom claim name pointing at a hostile claim is read as malformed, not trusted', async () => {
    const { mfa } = setup();
    const custom = createSessionMfa({
      ledger: null,
      claims: { claimNames: { amr: 'https://acme.test/amr' } },
      now: () => NOW,
    });
    expect(
      (
        await custom.decide({ ...base, 'https://acme.test/amr': 'mfa', amr: ['mfa'], auth_time: NOW }, anyMfa, {
          target: 't',
        })
      ).reason,
    ).toBe('malformed_evidence');
    expect((await mfa.decide({ ...base }, anyMfa, { target: 't' })).reason).toBe('no_evidence');
  });
});

describe('method names a plain object inherits', () => {
  it.each([
    ['pwd and constructor', ['pwd', 'constructor']],
    ['pwd and __proto__', ['pwd', '__proto__']],
    ['pwd, toString and valueOf', ['pwd', 'toString', 'valueOf']],
  ])('%s are not two factor categories', async (_name, amr) => {
    await expectDenied({ ...base, amr, auth_time: NOW - 5 }, 'no_evidence');
  });
});

describe("an SSO organization's IdP-asserted MFA", () => {
  const carol = {
    sub: 'user_carol',
    sid: 'session_sso',
    org_id: 'org_globex',
    amr: ['pwd', 'mfa'],
    acr: 'urn:workos:acr:mfa',
    auth_time: NOW - 5,
  };
  const engine = () =>
    createSessionMfa({
      ledger: createSessionLedger({ store: memoryStore({ now: () => NOW * 1000 }) }),
      claims: { idpOrganizations: ['org_globex'] },
      now: () => NOW,
    });

  it.each([
    ['the most permissive policy', anyMfa],
    ['aal2', aal2],
    ['a policy accepting its acr', defineMfaPolicy({ name: 'acr', acrValues: ['urn:workos:acr:mfa'] })],
  ])('grants nothing under %s: the IdP is not trusted by default', async (_name, policy) => {
    expect(await engine().decide(carol, policy, { target: 't' })).toMatchObject({
      allowed: false,
      reason: 'no_evidence',
    });
  });

  it('grants under a policy that opts in for the organization', async () => {
    const spec = perOrganization(aal2, { org_globex: mfaPreset('aal2', { name: 'globex-sso', trustIdpMfa: true }) });
    expect(await engine().decide(carol, spec, { target: 't' })).toMatchObject({
      allowed: true,
      reason: 'verified',
      evidence: { source: 'claims' },
    });
    // A token cannot say it came through SSO: an organization the engine does not list reads as WorkOS's own
    // MFA (residual risk, docs/security.md). Listed, the Globex opt-in says nothing about its sessions.
    expect(await engine().decide({ ...carol, org_id: 'org_other' }, spec, { target: 't' })).toMatchObject({
      allowed: true,
    });
    const other = createSessionMfa({
      ledger: null,
      claims: { idpOrganizations: ['org_globex', 'org_other'] },
      now: () => NOW,
    });
    expect(await other.decide({ ...carol, org_id: 'org_other' }, spec, { target: 't' })).toMatchObject({
      allowed: false,
      reason: 'no_evidence',
    });
  });
});
