/**
 * Hostile requests against the built demo under `next start`, where Next's own routing, header handling and
 * the Edge middleware run for real. Each probe is a request by a session *without* MFA (or no session) that
 * must not reach protected content.
 */
import type { LoadTarget, Session } from './sessions';

export interface ProbeResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Runs every probe; `none` is a signed-in session without MFA, `mfa` a verified one (for its cookie only). */
export async function runProbes(target: LoadTarget, none: Session, mfa: Session): Promise<ProbeResult[]> {
  const base = target.baseUrl;
  const noneCookie = none.jar.header() ?? '';
  const page = { accept: 'text/html', 'sec-fetch-dest': 'document' };
  const probes: Array<{ name: string; url: string; init: RequestInit; ok: (res: Response, body: string) => boolean }> =
    [];
  const admin = (res: Response, body: string) => res.status === 200 && body.includes('<h1>Admin</h1>');
  const add = (
    name: string,
    path: string,
    headers: Record<string, string>,
    ok: (res: Response, body: string) => boolean,
    method = 'GET',
  ) => probes.push({ name, url: `${base}${path}`, init: { method, headers, redirect: 'manual' }, ok });

  for (const path of [
    '/admin',
    '/%61dmin',
    '//admin',
    '/admin/',
    '/ADMIN',
    '/admin%2f',
    '/./admin',
    '/admin;',
    '/_next/image/../../admin',
    '/admin/keys/../',
    '/admin?_rsc=1',
  ]) {
    add(`no MFA: ${path}`, path, { ...page, cookie: noneCookie }, (res, body) => !admin(res, body) && res.status < 500);
  }
  add(
    'no MFA: x-middleware-subrequest (CVE-2025-29927 shape)',
    '/admin',
    {
      ...page,
      cookie: noneCookie,
      'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware',
    },
    (res, body) => !admin(res, body),
  );
  // Under next start the RSC header may not reach the middleware: a 403 (the router then navigates in full) or a redirect, never the page.
  add(
    'no MFA: RSC navigation headers',
    '/admin',
    { cookie: noneCookie, rsc: '1', 'next-router-state-tree': '%5B%22%22%5D' },
    (res) => res.status === 307 || res.status === 403,
  );
  add(
    'no MFA: forged next-action POST to the protected page',
    '/admin',
    { cookie: noneCookie, 'next-action': '7f'.repeat(21), accept: 'text/x-component' },
    (res) => res.status === 403,
    'POST',
  );
  add(
    'no MFA: Host header of another origin',
    '/admin',
    { ...page, cookie: noneCookie, host: 'evil.example' },
    (res) => res.status === 307 && !(res.headers.get('location') ?? '').includes('evil.example'),
  );
  add(
    'no MFA: X-Forwarded-Host of another origin',
    '/admin',
    { ...page, cookie: noneCookie, 'x-forwarded-host': 'evil.example' },
    (res) => res.status === 307 && !(res.headers.get('location') ?? '').includes('evil.example'),
  );
  const mfaSeal = mfa.jar.get('wos-session') ?? '';
  add(
    'signed out, a verified session smuggled in x-workos-session',
    '/api/admin/report',
    { accept: 'application/json', 'x-workos-session': mfaSeal, 'x-workos-middleware': 'true' },
    (res) => res.status === 401,
  );
  add(
    'no MFA, a verified session smuggled in x-workos-session',
    '/api/admin/report',
    { accept: 'application/json', cookie: noneCookie, 'x-workos-session': mfaSeal },
    (res) => res.status === 403,
  );
  add(
    'no MFA: route handler with a forged next-action header',
    '/api/admin/keys/rotate',
    { accept: 'application/json', cookie: noneCookie, 'next-action': 'abc123' },
    (res) => res.status === 403,
    'POST',
  );
  const mfaCookie = mfa.jar.header() ?? '';
  add(
    'verified session: cross-origin POST to the key rotation route',
    '/api/admin/keys/rotate',
    { accept: 'application/json', cookie: mfaCookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    (res) => res.status === 403,
    'POST',
  );
  add(
    'verified session: POST from an opaque origin ("null")',
    '/api/admin/keys/rotate',
    { accept: 'application/json', cookie: mfaCookie, origin: 'null' },
    (res) => res.status === 403,
    'POST',
  );
  add(
    'unsigned webhook delivery',
    '/api/webhooks/workos',
    { 'content-type': 'application/json' },
    (res) => res.status === 401,
    'POST',
  );
  add(
    'no MFA: /step-up?reauth=1 (claims a re-authentication) does not send the user on',
    '/step-up?reauth=1&return_to=%2Fadmin',
    { ...page, cookie: noneCookie },
    (res, body) => res.status === 200 && body.includes('mfa-reauth-without-mfa'),
  );
  add(
    'step-up page with a hostile return_to renders a same-origin form',
    '/step-up?return_to=%2F..%2F%2Fevil.example',
    { ...page, cookie: noneCookie },
    (res, body) => res.status === 200 && !body.includes('evil.example"'),
  );
  add(
    'login with a hostile return_to',
    '/login?return_to=%2F%2Fevil.example',
    page,
    (res) => res.status === 307 && !decodeURIComponent(res.headers.get('location') ?? '').includes('//evil.example'),
  );

  const results: ProbeResult[] = [];
  for (const p of probes) {
    const res = await fetch(p.url, p.init);
    const body = await res.text();
    results.push({
      name: p.name,
      ok: p.ok(res, body),
      detail: `${res.status} ${res.headers.get('location') ?? ''}`.trim(),
    });
  }
  return results;
}
