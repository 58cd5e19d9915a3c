import { describe, expect, it } from 'vitest';
import { evaluate } from '../core/evaluate';
import { mfaPreset } from '../core/policy';
import { insufficientAuthenticationResponse, unauthenticatedResponse } from './responses';

const NOW = 1_800_000_000;
const session = { userId: 'user_a', sessionId: 'session_a' };

describe('refusal responses', () => {
  it('401 for a signed-out request', async () => {
    const res = unauthenticatedResponse();
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthenticated', reason: 'not_signed_in' });
  });

  it('403 with RFC 9470 challenge and JSON body for missing MFA', async () => {
    const decision = evaluate({ session, ledger: { status: 'missing' } }, mfaPreset('strict'), NOW);
    const res = insufficientAuthenticationResponse(decision, '/step-up?return_to=%2Fadmin');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_user_authentication", error_description="This session has not completed multi-factor authentication.", max_age=600');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      error: 'insufficient_user_authentication',
      reason: 'no_evidence',
      error_description: 'This session has not completed multi-factor authentication.',
      policy: 'strict',
      max_age: 600,
      step_up_url: '/step-up?return_to=%2Fadmin',
    });
  });

  it('names accepted acr values in the challenge', () => {
    const decision = evaluate({ session }, mfaPreset('strict', { acrValues: ['phr', 'phrh'] }), NOW);
    expect(insufficientAuthenticationResponse(decision, '/step-up').headers.get('www-authenticate')).toContain('acr_values="phr phrh"');
  });

  it('503 (not a pass, not a step-up) when the ledger is down', async () => {
    const decision = evaluate({ session, ledger: { status: 'unavailable', detail: 'timeout' } }, mfaPreset('strict'), NOW);
    const res = insufficientAuthenticationResponse(decision, '/step-up');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ reason: 'ledger_unavailable' });
  });
});
