/**
 * Open redirects through `return_to`: at least 20 hostile shapes through `safeReturnTo` and every helper that
 * carries a return path (step-up URL, cancel link, re-authentication state, the referer of a refused route
 * handler). The middleware's own redirect is covered in return-to-redirect.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STEP_UP_PATH, safeReturnTo, stepUpPath } from '../../lib/core/return-to';
import { defineMfaPolicy } from '../../lib/core/policy';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { memoryStore } from '../../lib/ledger/memory';
import { createServerSessionMfa } from '../../lib/next/with-session-mfa';
import { createSessionMfa } from '../../lib/session-mfa';
import { cancelledReturnTo, withStepUpMarker } from '../../lib/shared/marker';
import { readReauthState } from '../../lib/step-up/reauthentication';
import { ENCODED_MUST_FALL_BACK, KEPT_SAME_ORIGIN, MUST_FALL_BACK, staysOnOrigin } from './support/return-to-variants';

const ORIGIN = 'http://localhost:3000';
const returnToOf = (stepUpUrl: string) => new URL(stepUpUrl, ORIGIN).searchParams.get('return_to') ?? '';

describe('safeReturnTo refuses every open-redirect shape', () => {
  it('has at least 20 hostile shapes', () => expect(MUST_FALL_BACK.length).toBeGreaterThanOrEqual(20));

  it.each(MUST_FALL_BACK)('%s → "/"', (_name, value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it.each(ENCODED_MUST_FALL_BACK)('%s (%j) → "/"', (_name, value) => {
    expect(safeReturnTo(value)).toBe('/');
    expect(safeReturnTo(value, '/home')).toBe('/home');
  });

  it('the encoded corpus has a shape for every rejected character', () =>
    expect(ENCODED_MUST_FALL_BACK.length).toBeGreaterThanOrEqual(140));

  it.each(KEPT_SAME_ORIGIN)('keeps the same-origin path %j, and it resolves on this origin', (value) => {
    expect(safeReturnTo(value)).toBe(value);
    expect(staysOnOrigin(value)).toBe(true);
  });
});

describe('every helper that carries a return path stays on the origin', () => {
  const all = [...MUST_FALL_BACK.map(([, v]) => v), ...ENCODED_MUST_FALL_BACK.map(([, v]) => v), ...KEPT_SAME_ORIGIN];

  it.each(all)('stepUpPath(%j)', (value) => {
    const url = new URL(stepUpPath(value), ORIGIN);
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe(DEFAULT_STEP_UP_PATH);
    expect(staysOnOrigin(returnToOf(stepUpPath(value)))).toBe(true);
  });

  it.each(all)('the re-authentication state round trip of %j', (value) => {
    const state = readReauthState(JSON.stringify({ purpose: 'authkit-session-mfa:reauthenticate', returnTo: value }));
    expect(state).not.toBeNull();
    expect(staysOnOrigin(state!.returnTo)).toBe(true);
  });

  it.each(all)("the step-up page's Cancel link for %j", (value) => {
    const safe = safeReturnTo(value);
    expect(staysOnOrigin(cancelledReturnTo(safe))).toBe(true);
    expect(staysOnOrigin(cancelledReturnTo(withStepUpMarker(safe, 'nonce-1234-abcd')))).toBe(true);
  });
});

describe("a refused route handler's step_up_url never points off the origin, whatever Referer and Host say", () => {
  const policy = defineMfaPolicy({ name: 'any' });
  const sessionMfa = createSessionMfa({ ledger: createSessionLedger({ store: memoryStore() }) });
  const { withSessionMfa } = createServerSessionMfa(sessionMfa, {
    session: async () => ({ sub: 'user_alice', sid: 'session_1' }),
  });
  const handler = withSessionMfa(async () => new Response('ran'), policy);

  it.each([
    ['an external referer', 'https://evil.example/steal', 'localhost:3000'],
    ['a protocol-relative path on this host', 'http://localhost:3000//evil.example', 'localhost:3000'],
    ['a dot-dot path on this host', 'http://localhost:3000/..//evil.example', 'localhost:3000'],
    ['a backslash path', 'http://localhost:3000/\\evil.example', 'localhost:3000'],
    ['referer and host both evil', 'http://evil.example//evil.example', 'evil.example'],
    ['a javascript: referer', 'javascript:alert(1)', 'localhost:3000'],
    ['a garbage referer', '::::', 'localhost:3000'],
  ])('%s', async (_name, referer, host) => {
    const res = await handler(new Request(`${ORIGIN}/api/admin/report`, { headers: { referer, host } }), {});
    expect(res.status).toBe(403);
    const body = (await res.json()) as { step_up_url: string };
    expect(new URL(body.step_up_url, ORIGIN).origin).toBe(ORIGIN);
    expect(staysOnOrigin(returnToOf(body.step_up_url))).toBe(true);
  });
});
