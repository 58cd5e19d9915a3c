import { describe, expect, it } from 'vitest';
import { routeOf, routeOfWorker } from '../../lib/cli/coverage/app-tree';
import type { MiddlewareModel } from '../../lib/cli/coverage/middleware-rules';
import { coverageOf, sampleUrls } from '../../lib/cli/coverage/route-match';

const label = { expression: 'p', name: 'p' };
function model(
  rules: string[],
  options: { matcher?: { source: string; conditional?: boolean }[]; openPaths?: string[]; rewrites?: string } = {},
): MiddlewareModel {
  return {
    state: 'rules',
    file: 'middleware.ts',
    rules: rules.map((path) => ({ path, policy: label })),
    signIn: options.openPaths ? { unauthenticatedPaths: options.openPaths, callbackPath: '/callback' } : null,
    matcher: options.matcher?.map((m) => ({ source: m.source, conditional: m.conditional ?? false })) ?? null,
    rewrites: options.rewrites ?? null,
  };
}
const route = (...folders: string[]) => routeOf(folders);

describe("Next's folder → URL rules", () => {
  it.each([
    [['admin', 'keys'], '/admin/keys'],
    [['(shop)', 'cart'], '/cart'],
    [['@modal', 'photo', '[id]'], '/photo/[id]'],
    [['docs', '[...slug]'], '/docs/[...slug]'],
    [['docs', '[[...slug]]'], '/docs/[[...slug]]'],
    [['%5Finternal'], '/_internal'],
    [['feed', '@modal', '(.)photo', '[id]'], '/feed/photo/[id]'],
    [['feed', 'x', '(..)photo'], '/feed/photo'],
    [['a', 'b', '(...)photo'], '/photo'],
    [[], '/'],
  ])('%j → %s', (folders, url) => {
    expect(routeOf(folders).display).toBe(url);
  });

  it('reads manifest worker names', () => {
    expect(routeOfWorker('app/admin/(tools)/[id]/page').display).toBe('/admin/[id]');
    expect(routeOfWorker('app/page').display).toBe('/');
    expect(routeOfWorker('app/_not-found/page').display).toBe('(any unmatched URL)');
  });
});

describe('middleware coverage of a route', () => {
  it('tests a static route exactly, with the middleware matcher semantics (first rule, case-insensitive, trailing slash)', () => {
    const cover = coverageOf(model(['/admin/:path*', '/api/admin/(.*)']));
    expect(cover(route('admin'))).toMatchObject({ status: 'covered', rules: [{ path: '/admin/:path*' }] });
    expect(cover(route('admin', 'keys'))).toMatchObject({ status: 'covered' });
    expect(cover(route('administrator'))).toMatchObject({ status: 'none', why: 'no rule matches this path' });
    expect(cover(route('api', 'admin'))).toMatchObject({ status: 'none' });
    expect(cover(route('api', 'admin', 'report'))).toMatchObject({
      status: 'covered',
      rules: [{ path: '/api/admin/(.*)' }],
    });
  });

  it('covers a dynamic route only when every sample value hits a rule', () => {
    const cover = coverageOf(model(['/admin/:path*', '/users/:id', '/billing/:invoice(\\d+)']));
    expect(cover(route('admin', '[id]'))).toMatchObject({ status: 'covered' });
    expect(cover(route('admin', '[...slug]'))).toMatchObject({ status: 'covered' });
    expect(cover(route('users', '[id]'))).toMatchObject({ status: 'covered' });
    // /users/:id matches one segment: a catch-all reaches deeper paths it does not cover.
    expect(cover(route('users', '[...rest]'))).toMatchObject({ status: 'none', partial: true });
    expect(cover(route('billing', '[invoice]'))).toMatchObject({
      status: 'none',
      partial: true,
      why: 'rules cover only some URLs of this route (e.g. /billing/x)',
    });
    // A root catch-all: /admin is one of its URLs, most are not covered.
    expect(cover(route('[...slug]'))).toMatchObject({ status: 'none' });
  });

  it('is unknown when a custom regular expression decides a dynamic route that every sample happened to match', () => {
    const cover = coverageOf(model(['/files/:name([^/]{1,500})']));
    expect(cover(route('files', '[name]'))).toMatchObject({ status: 'unknown' });
    // A static route is still exact.
    expect(cover(route('files', 'report.pdf'))).toMatchObject({ status: 'covered' });
  });

  it('tries the literal words of exclusions: a matcher that skips admin/public uncovers /admin/[id]', () => {
    const cover = coverageOf(model(['/admin/:path*'], { matcher: [{ source: '/((?!_next/static|admin/public).*)' }] }));
    expect(sampleUrls(route('admin', '[id]'), ['/((?!_next/static|admin/public).*)'])).toContain('/admin/public');
    expect(cover(route('admin', '[id]'))).toMatchObject({
      status: 'none',
      partial: true,
      why: 'config.matcher skips some URLs of this route (e.g. /admin/public)',
    });
    expect(cover(route('admin', 'public', 'status'))).toMatchObject({
      status: 'none',
      why: 'config.matcher excludes this path: the middleware does not run',
    });
    expect(cover(route('admin', 'keys', '[id]'))).toMatchObject({ status: 'covered' });
  });

  it('is unknown when the matcher has has/missing conditions, or rewrites can route around the rules', () => {
    expect(
      coverageOf(model(['/admin/:path*'], { matcher: [{ source: '/admin/:path*', conditional: true }] }))(
        route('admin'),
      ),
    ).toMatchObject({ status: 'unknown' });
    expect(
      coverageOf(model(['/admin/:path*'], { rewrites: 'next.config.ts defines rewrites' }))(route('admin')),
    ).toMatchObject({ status: 'unknown', why: 'next.config.ts defines rewrites' });
  });

  it('says sign-in only where middlewareAuth requires a user and no MFA rule applies', () => {
    const cover = coverageOf(model([], { openPaths: ['/', '/api/:path*'] }));
    expect(cover(route('account'))).toMatchObject({ status: 'none', signInOnly: true });
    expect(cover(route('api', 'health'))).toEqual({ status: 'none', why: 'no rule matches this path' });
    expect(cover(route('callback'))).toEqual({ status: 'none', why: 'no rule matches this path' });
  });

  it('is unknown for every route when a pattern does not compile; none without middleware', () => {
    expect(coverageOf(model(['/admin/(']))(route('admin'))).toMatchObject({ status: 'unknown' });
    expect(coverageOf({ state: 'absent', file: null, why: 'no middleware' })(route('admin'))).toEqual({
      status: 'none',
      why: 'no middleware',
    });
  });
});
