import { describe, expect, it } from 'vitest';
import { evaluate } from '../core/evaluate';
import { mfaPreset } from '../core/policy';
import { toJsonLine } from './json-lines';
import { decisionRecord, eventRecord, ledgerRecord } from './record';

const NOW = 1_800_000_000;
const session = { sessionId: 'session_1', userId: 'user_alice', organizationId: 'org_acme' };

describe('audit records', () => {
  it('a decision record carries time, outcome, reason, policy, target, sid, user, org, evidence and request facts', () => {
    const decision = evaluate(
      {
        session,
        ledger: {
          status: 'found',
          entry: {
            sessionId: 'session_1',
            userId: 'user_alice',
            verifiedAt: NOW - 7200,
            methods: ['otp'],
            source: 'step_up',
          },
        },
      },
      mfaPreset('moderate', { name: 'transfer' }),
      NOW,
    );
    const record = decisionRecord(decision, {
      target: 'POST /api/transfer',
      requestId: 'req_9',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
    });
    expect(record).toMatchObject({
      type: 'decision',
      time: new Date(NOW * 1000).toISOString(),
      decision: 'step_up',
      reason: 'stale',
      policy: { name: 'transfer', maxAge: 3600 },
      target: 'POST /api/transfer',
      sessionId: 'session_1',
      userId: 'user_alice',
      organizationId: 'org_acme',
      evidence: { source: 'ledger', verifiedAt: new Date((NOW - 7200) * 1000).toISOString(), methods: ['otp'] },
      requestId: 'req_9',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
    });
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a ledger record names the factor and challenge that proved MFA, and the caller detail', () => {
    const record = ledgerRecord(
      'ledger.recorded',
      {
        sessionId: 's_1',
        userId: 'u_1',
        verifiedAt: NOW,
        methods: ['otp'],
        source: 'step_up',
        factorId: 'auth_factor_1',
        challengeId: 'auth_challenge_1',
      },
      { target: 'step-up', reason: 'totp_verified', now: NOW, detail: { attempt: 1 } },
    );
    expect(record).toMatchObject({
      type: 'ledger.recorded',
      evidence: { source: 'ledger:step_up' },
      detail: { attempt: 1, factorId: 'auth_factor_1', challengeId: 'auth_challenge_1' },
    });
  });

  it('an event record leaves absent facts absent', () => {
    const record = eventRecord({
      type: 'webhook.uncorrelated',
      reason: 'no_session_id',
      target: 'webhook authentication.mfa_succeeded',
      userId: 'user_alice',
      now: NOW,
      detail: { eventId: 'event_1' },
    });
    expect(Object.keys(record).sort()).toEqual(['detail', 'id', 'reason', 'target', 'time', 'type', 'userId']);
  });

  it('a JSON line is one line that starts with id, type and time', () => {
    const line = toJsonLine(
      eventRecord({ type: 'webhook.rejected', reason: 'x', target: 'route\nwith break', now: NOW }),
    );
    expect(line).not.toContain('\n');
    expect(Object.keys(JSON.parse(line)).slice(0, 4)).toEqual(['audit', 'id', 'type', 'time']);
  });
});
