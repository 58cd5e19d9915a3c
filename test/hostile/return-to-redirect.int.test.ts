/**
 * The middleware's own step-up redirect under hostile request paths: whatever the path, the Location is the
 * step-up page on this origin, and its `return_to` is a same-origin path the step-up page will honour as is.
 * Real authkit and a real session; a catch-all rule so every odd path is enforced.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { safeReturnTo } from '../../lib/core/return-to';
import { ORIGIN, startHarness, type Harness, type SignedIn } from './support/harness';
import { staysOnOrigin } from './support/return-to-variants';

let h: Harness;
let bob: SignedIn;
beforeAll(async () => {
  h = await startHarness({
    redisUrl: inject('redisUrl'),
    rules: (edge) => [{ path: '/(.*)', policy: edge.mfaPreset('aal2') }],
  });
  bob = await h.signIn('bob@acme.test', 'bob-password-1');
});
afterAll(() => h?.close());

const PATHS = [
  '/admin//evil.example',
  '//evil.example/admin',
  '///evil.example',
  '/admin/..//evil.example',
  '/admin/%2e%2e//evil.example',
  '/admin/.%2E/.%2e//evil.example',
  '/admin/\\evil.example',
  '/\\\\evil.example',
  '/admin/%5c%5cevil.example',
  '/%2F%2Fevil.example',
  '/admin?return_to=https://evil.example',
  '/admin?return_to=//evil.example&x=%0d%0aLocation:%20https://evil.example',
  '/admin%0d%0aLocation:%20https://evil.example',
  '/admin/%09/evil.example',
  '/admin/\t/evil.example',
  '/\u2215\u2215evil.example',
  '/@evil.example',
  '/admin/javascript:alert(1)',
  '/https://evil.example',
  `/admin/${'a'.repeat(3000)}`,
  // Percent-encodings that read `//host` after a later decode.
  '/admin/..%2F%2Fevil.example',
  '/%252F%252Fevil.example',
  '/%20/evil.example',
  '/admin/%0a/evil.example',
  '/%E2%88%95%E2%88%95evil.example',
];

describe('the step-up redirect never leaves the origin', () => {
  it('covers at least 20 hostile paths', () => expect(PATHS.length).toBeGreaterThanOrEqual(20));

  it.each(PATHS)('%j', async (path) => {
    const res = await h.middleware(
      new h.NextRequest(`${ORIGIN}${path}`, {
        headers: { accept: 'text/html', 'sec-fetch-dest': 'document', cookie: bob.cookie },
      }),
    );
    expect(res.status).toBe(307);
    const location = res.headers.get('location')!;
    expect(location).not.toMatch(/[\r\n]/);
    const url = new URL(location);
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe('/step-up');
    const returnTo = url.searchParams.get('return_to')!;
    expect(staysOnOrigin(returnTo, ORIGIN)).toBe(true);
    expect(safeReturnTo(returnTo)).toBe(returnTo); // what the step-up page will redirect to after success
  });

  it.each(PATHS.slice(0, 6))('a refused API call to %j names a same-origin step_up_url', async (path) => {
    const res = await h.middleware(
      new h.NextRequest(`${ORIGIN}${path}`, { headers: { accept: 'application/json', cookie: bob.cookie } }),
    );
    expect(res.status).toBe(403);
    const { step_up_url: stepUpUrl } = (await res.json()) as { step_up_url: string };
    expect(new URL(stepUpUrl, ORIGIN).origin).toBe(ORIGIN);
    expect(staysOnOrigin(new URL(stepUpUrl, ORIGIN).searchParams.get('return_to')!, ORIGIN)).toBe(true);
  });

  it('a signed-out navigation is sent only to the configured WorkOS sign-in, whatever the path', async () => {
    for (const path of PATHS.slice(0, 8)) {
      const res = await h.middleware(
        new h.NextRequest(`${ORIGIN}${path}`, { headers: { accept: 'text/html', 'sec-fetch-dest': 'document' } }),
      );
      expect(res.status, path).toBe(307);
      expect(new URL(res.headers.get('location')!).origin, path).toBe(h.gateway.url);
    }
  });
});
