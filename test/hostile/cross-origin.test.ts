/**
 * Cross-origin POSTs to a route handler guarded by withSessionMfa: a verified session's cookie must not be
 * ridden by another site (CSRF) to run a destructive action. Only the request's own origin may send unsafe
 * methods; clients without an Origin header (servers, CLIs: no ambient cookie) and safe methods are unaffected.
 * The step-up form is a Next server action, whose own origin check is probed against the built demo (load run).
 */
import { describe, expect, it } from 'vitest';
import { mfaPreset } from '../../lib/core/policy';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { memoryStore } from '../../lib/ledger/memory';
import { createServerSessionMfa } from '../../lib/next/with-session-mfa';
import { createSessionMfa } from '../../lib/session-mfa';

const NOW = 1_800_000_000;

async function setup() {
  const ledger = createSessionLedger({ store: memoryStore({ now: () => NOW * 1000 }) });
  await ledger.record({
    sessionId: 'session_1',
    userId: 'user_alice',
    verifiedAt: NOW - 5,
    methods: ['otp'],
    source: 'step_up',
  });
  const sessionMfa = createSessionMfa({ ledger, now: () => NOW });
  const { withSessionMfa } = createServerSessionMfa(sessionMfa, {
    session: async () => ({ sub: 'user_alice', sid: 'session_1' }),
  });
  const ran: string[] = [];
  const rotate = withSessionMfa(async (request: Request) => {
    ran.push(request.method);
    return Response.json({ rotated: true });
  }, mfaPreset('strict'));
  return { rotate, ran };
}

const request = (method: string, headers: Record<string, string>) =>
  new Request('http://localhost:3000/api/admin/keys/rotate', {
    method,
    headers: { host: 'localhost:3000', ...headers },
  });

describe('cross-origin requests to a protected route handler of a verified session', () => {
  it.each([
    ['another origin', { origin: 'https://evil.example' }],
    ['a sibling subdomain', { origin: 'http://evil.localhost:3000' }],
    ['another port', { origin: 'http://localhost:3001' }],
    ['another scheme and host', { origin: 'https://localhost.evil.example' }],
    ['an opaque origin ("null": sandboxed frame, data: URL)', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
  ])('POST from %s is refused and the handler does not run', async (_name, headers) => {
    const { rotate, ran } = await setup();
    const res = await rotate(request('POST', headers), {});
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'cross_origin_request' });
    expect(ran).toEqual([]);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('%s from another origin is refused too', async (method) => {
    const { rotate, ran } = await setup();
    expect((await rotate(request(method, { origin: 'https://evil.example' }), {})).status).toBe(403);
    expect(ran).toEqual([]);
  });

  it('the same origin, a client without Origin (server to server), and safe methods run', async () => {
    const { rotate, ran } = await setup();
    expect(
      (await rotate(request('POST', { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }), {})).status,
    ).toBe(200);
    expect((await rotate(request('POST', {}), {})).status).toBe(200);
    expect((await rotate(request('GET', { origin: 'https://evil.example' }), {})).status).toBe(200);
    expect(ran).toEqual(['POST', 'POST', 'GET']);
  });

  it('behind a proxy the forwarded host is the origin to match', async () => {
    const { rotate } = await setup();
    expect(
      (await rotate(request('POST', { origin: 'https://app.acme.test', 'x-forwarded-host': 'app.acme.test' }), {}))
        .status,
    ).toBe(200);
    expect(
      (await rotate(request('POST', { origin: 'https://evil.example', 'x-forwarded-host': 'app.acme.test' }), {}))
        .status,
    ).toBe(403);
  });
});
