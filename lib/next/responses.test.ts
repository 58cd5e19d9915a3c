import { describe, expect, it } from 'vitest';
import { evaluate } from '../core/evaluate';
import { mfaPreset } from '../core/policy';
import { readStepUpRequiredMessage } from '../core/step-up-response';
import { insufficientAuthenticationResponse, serverActionRefusal, unauthenticatedResponse } from './responses';

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
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_user_authentication", error_description="This session has not completed multi-factor authentication.", max_age=600',
    );
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
    expect(insufficientAuthenticationResponse(decision, '/step-up').headers.get('www-authenticate')).toContain(
      'acr_values="phr phrh"',
    );
  });

  it('503 (not a pass, not a step-up) when the ledger is down', async () => {
    const decision = evaluate(
      { session, ledger: { status: 'unavailable', detail: 'timeout' } },
      mfaPreset('strict'),
      NOW,
    );
    const res = insufficientAuthenticationResponse(decision, '/step-up');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ reason: 'ledger_unavailable' });
  });

  it('refuses a server action in text/plain (what Next hands its client as the error message): 403 carries the step-up result', async () => {
    const decision = evaluate(
      { session, ledger: { status: 'missing' } },
      mfaPreset('aal2', { name: 'admin-area' }),
      NOW,
    );
    const res = serverActionRefusal(decision, '/step-up?return_to=%2Fadmin%2Fkeys');
    expect(res.status).toBe(403);
    // Exactly text/plain: Next's client uses the body as the error's message only for that content type.
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_user_authentication", .*max_age=43200$/,
    );
    const body = await res.text();
    expect(body.startsWith('authkit-session-mfa:step_up_required:v1 ')).toBe(true);
    expect(readStepUpRequiredMessage(new Error(body))).toEqual({
      sessionMfa: 'step_up_required',
      reason: 'no_evidence',
      message: 'This session has not completed multi-factor authentication.',
      policy: 'admin-area',
      maxAge: 43200,
      stepUpUrl: '/step-up?return_to=%2Fadmin%2Fkeys',
    });
  });

  it('refuses a signed-out server action with 401, and one it cannot decide (ledger down) with 503, in plain words', async () => {
    const signedOut = serverActionRefusal(null, '/step-up');
    expect([signedOut.status, signedOut.headers.get('content-type'), await signedOut.text()]).toEqual([
      401,
      'text/plain',
      'You are not signed in.',
    ]);
    const down = serverActionRefusal(
      evaluate({ session, ledger: { status: 'unavailable', detail: 'timeout' } }, mfaPreset('strict'), NOW),
      '/step-up',
    );
    expect(down.status).toBe(503);
    expect(readStepUpRequiredMessage(new Error(await down.text()))).toBeNull();
  });
});

describe('the step-up marker in an error message', () => {
  it('is read only from our versioned prefix and a well-formed step-up result', () => {
    const result = {
      sessionMfa: 'step_up_required',
      reason: 'stale',
      message: 'm',
      policy: null,
      maxAge: 600,
      stepUpUrl: '/step-up?return_to=%2F',
    };
    const prefix = 'authkit-session-mfa:step_up_required:v1 ';
    expect(readStepUpRequiredMessage(`${prefix}${JSON.stringify(result)}`)).toEqual(result);
    expect(readStepUpRequiredMessage(new Error(`${prefix}{not json`))).toBeNull();
    expect(
      readStepUpRequiredMessage(new Error(`${prefix}${JSON.stringify({ ...result, sessionMfa: 'other' })}`)),
    ).toBeNull();
    expect(
      readStepUpRequiredMessage(new Error(`authkit-session-mfa:step_up_required:v2 ${JSON.stringify(result)}`)),
    ).toBeNull();
    expect(readStepUpRequiredMessage(new Error('An unexpected response was received from the server.'))).toBeNull();
    expect(readStepUpRequiredMessage(42)).toBeNull();
  });
});
