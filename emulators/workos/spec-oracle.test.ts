import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOpenApiOracle } from './openapi-oracle';
import { SPEC_DEVIATIONS } from './spec-deviations';

const strict = createOpenApiOracle([]);
const lenient = createOpenApiOracle(SPEC_DEVIATIONS);

const mfaSucceeded = (data: Record<string, unknown>) => ({
  id: 'event_01HZ0000000000000000000000',
  event: 'authentication.mfa_succeeded',
  data: {
    type: 'mfa',
    status: 'succeeded',
    ip_address: null,
    user_agent: null,
    user_id: 'user_1',
    email: 'a@b.test',
    ...data,
  },
  created_at: '2026-01-15T12:00:00.000Z',
  object: 'event',
});

const verify = (status: number, body: unknown) => ({
  method: 'POST',
  path: '/auth/challenges/auth_challenge_1/verify',
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

describe('the OpenAPI oracle', () => {
  it('accepts WorkOS’s own event shape and flags an invented or missing field', () => {
    expect(strict.checkEvent(mfaSucceeded({}))).toEqual([]);
    expect(strict.checkEvent(mfaSucceeded({ session_id: 'session_1' }))).toEqual([
      expect.objectContaining({
        where: 'event authentication.mfa_succeeded',
        instancePath: '/data',
        keyword: 'unevaluatedProperties',
        message: expect.stringContaining('(session_id)'),
      }),
    ]);
    expect(strict.checkEvent(mfaSucceeded({ email: undefined }))).toEqual([
      expect.objectContaining({ keyword: 'required', instancePath: '/data' }),
    ]);
    expect(strict.checkEvent({ ...mfaSucceeded({}), event: 'authentication.made_up' })).toEqual([
      expect.objectContaining({ keyword: 'event' }),
    ]);
  });

  it('forgives a listed deviation only where it is listed', () => {
    expect(lenient.checkEvent(mfaSucceeded({ session_id: 'session_1' }))).toEqual([]);
    expect(lenient.checkEvent(mfaSucceeded({ sid: 'session_1' }))).toHaveLength(1);
  });

  it('checks response statuses and bodies per operation', () => {
    const challenge = {
      object: 'authentication_challenge',
      id: 'auth_challenge_1',
      authentication_factor_id: 'auth_factor_1',
      expires_at: '2026-01-15T12:05:00.000Z',
      created_at: '2026-01-15T12:00:00.000Z',
      updated_at: '2026-01-15T12:00:00.000Z',
    };
    expect(strict.checkResponse(verify(201, { challenge, valid: true }))).toEqual([]);
    expect(strict.checkResponse(verify(201, { challenge, valid: 'yes' }))).toEqual([
      expect.objectContaining({ instancePath: '/valid', keyword: 'type' }),
    ]);
    expect(
      strict.checkResponse(verify(201, { challenge: { ...challenge, created_at: 'yesterday' }, valid: true })),
    ).toEqual([expect.objectContaining({ instancePath: '/challenge/created_at', keyword: 'format' })]);
    expect(strict.checkResponse(verify(418, { message: 'teapot' }))).toEqual([
      expect.objectContaining({ keyword: 'status' }),
    ]);
    expect(
      strict.checkResponse({
        method: 'GET',
        path: '/user_management/authorize/submit',
        status: 200,
        contentType: 'text/html',
        body: '<p>',
      }),
    ).toEqual([]);
  });
});

describe('the deviation list', () => {
  it('gives each deviation a reason, and the README lists each one', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const deviation of SPEC_DEVIATIONS) {
      expect(deviation.reason.length, deviation.id).toBeGreaterThan(20);
      expect(readme, deviation.id).toContain(`| \`${deviation.id}\` |`);
    }
  });
});
