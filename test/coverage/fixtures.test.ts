import { describe, expect, it } from 'vitest';
import { entry, guards, reportOf } from './helpers';

describe('coverage on the fixture apps', () => {
  it('a deliberately unguarded action is none; its wrapped neighbour is guarded; type exports are not actions', async () => {
    const report = await reportOf('unguarded-action');
    expect(guards(report)).toEqual({
      'action deleteAccount': 'none',
      'action exportData': 'withSessionMfa',
      'page /settings': 'none',
    });
    const exportData = entry(report, 'action exportData');
    expect(exportData.wrapper).toMatchObject({
      status: 'guarded',
      policy: { expression: 'policies.destructive', name: 'strict' },
    });
    expect(entry(report, 'action deleteAccount').runsOn.map((r) => r.display)).toEqual(['/settings']);
    expect(report.exitCode).toBe(0);
    expect(
      (await reportOf('unguarded-action', ['app/settings/actions.ts'])).required?.failures.map((f) => f.name),
    ).toEqual(['deleteAccount']);
  });

  it('inline actions in a page are listed; wrapping one inline does not guard the endpoint Next registers', async () => {
    const report = await reportOf('inline-action');
    expect(guards(report)).toEqual({
      'action ban (inline)': 'middleware',
      'action displayName (inline, use cache)': 'none',
      'action rename (inline)': 'none',
      'action wipe (inline)': 'none',
      'page /admin': 'middleware',
      'page /profile': 'none',
    });
    expect(entry(report, 'action wipe (inline)').note).toContain('the action Next registers is the inner function');
    // One counter per file for both directives, in source order (as next build numbers them).
    expect(entry(report, 'action displayName (inline, use cache)').exportedName).toBe('$$RSC_SERVER_CACHE_0');
    expect(entry(report, 'action rename (inline)').exportedName).toBe('$$RSC_SERVER_ACTION_1');
    expect(entry(report, 'action wipe (inline)').exportedName).toBe('$$RSC_SERVER_ACTION_2');
    // requireSessionMfa in a body is shown but never counted as a guard by itself.
    expect(entry(report, 'action ban (inline)').bodyChecks).toMatchObject([
      { helper: 'requireSessionMfa', policy: { name: 'strict' } },
    ]);
  });

  it('aliases are followed exactly where the binder can, and unknown where it cannot — never guarded by name', async () => {
    const report = await reportOf('aliased-wrapper');
    expect(guards(report)).toEqual({
      'route GET /api/const-alias': 'withSessionMfa', // const guard = mfa.withSessionMfa (namespace import)
      'route POST /api/const-alias': 'unknown', // (0, mfa.withSessionMfa)(…): a computed callee
      'route GET /api/helper': 'unknown', // the app's own adminOnly() helper
      'route GET /api/let-alias': 'unknown', // let: may be reassigned
      'route GET /api/lookalike': 'unknown', // a function named withSessionMfa that is not the real one
      'route DELETE /api/reexported-alias': 'withSessionMfa', // export { withSessionMfa as protect } from '@/mfa'
      'route GET /api/renamed': 'withSessionMfa', // import { withSessionMfa as guard }
      'route GET /api/unresolved': 'unknown', // '@/no-such-module'
    });
    expect(entry(report, 'route GET /api/helper').note).toMatch(/your function `adminOnly` \(lib\/guards\.ts:4\)/);
    expect(entry(report, 'route GET /api/lookalike').note).toMatch(
      /your function `withSessionMfa` \(lib\/lookalike\.ts:2\)/,
    );
    expect(entry(report, 'route GET /api/let-alias').note).toMatch(/let\/var/);
    expect(entry(report, 'route GET /api/unresolved').note).toMatch(/'@\/no-such-module' cannot be resolved/);
    const required = await reportOf('aliased-wrapper', ['app/api/helper/route.ts']);
    expect(required.exitCode).toBe(1);
    expect(required.required?.failures.map((f) => f.guard)).toEqual(['unknown']);
  });

  it('route handlers re-exported from another file are followed there; an export * from a package is unknown', async () => {
    const report = await reportOf('reexported-route');
    expect(guards(report)).toEqual({
      'route PATCH /api/default-import': 'withSessionMfa',
      'route PUT /api/legacy': 'withSessionMfa',
      'route GET /api/report': 'withSessionMfa',
      'route POST /api/report': 'none',
      'route * /api/vendor': 'unknown',
    });
    expect(entry(report, 'route GET /api/report')).toMatchObject({
      file: 'app/api/report/route.ts',
      definedAt: 'handlers/report.ts:3',
    });
    expect(entry(report, 'route * /api/vendor').note).toContain(
      "export * from 'some-vendor-route-kit' cannot be followed",
    );
  });

  it('an action under a middleware-protected segment is guarded by the rule; one also imported by a public page is not', async () => {
    const report = await reportOf('protected-segment');
    expect(report.appDir).toBe('src/app');
    expect(report.middleware).toMatchObject({ state: 'rules', file: 'src/proxy.ts' });
    expect(guards(report)).toEqual({
      'route GET /admin/api/stats': 'middleware',
      'route GET /admin/public/status': 'none', // config.matcher excludes admin/public
      'action exportUsers': 'none',
      'action suspendUser': 'middleware',
      'page /about': 'none',
      'page /account': 'none',
      'page /admin/[userId]': 'none', // /admin/public is one of its URLs, and the matcher skips it
      'page /admin/reports/[reportId]': 'middleware', // route group (tools) adds no segment
      'page /admin/[[...rest]]': 'none', // parallel slot @modal adds no segment; /admin/public again
      'page /admin/users': 'middleware',
      'page /billing/[invoice]': 'none', // /billing/:invoice(\d+) covers digits only
    });
    expect(entry(report, 'action suspendUser').middleware).toMatchObject({
      status: 'covered',
      rules: [{ path: '/admin/:path*', policy: { name: 'admin-area' } }],
    });
    expect(entry(report, 'action exportUsers').runsOn.map((r) => r.display)).toEqual(['/about', '/admin/[userId]']);
    expect(entry(report, 'action exportUsers').note).toContain('runs on /about');
    expect(entry(report, 'page /billing/[invoice]').note).toContain(
      'rules cover only some URLs of this route (e.g. /billing/x)',
    );
    expect(entry(report, 'page /account').middleware).toMatchObject({ status: 'none', signInOnly: true });
    expect(entry(report, 'page /about').middleware).toEqual({ status: 'none', why: 'no rule matches this path' });
    // The private folder _components holds no route.
    expect(report.entries.some((e) => e.file.includes('_components'))).toBe(false);
  });

  it('a public route handler is none; a package-built handler says where it came from', async () => {
    const report = await reportOf('public-route');
    expect(guards(report)).toEqual({
      'route GET /api/admin/report': 'withSessionMfa',
      'route GET /api/health': 'none',
      'route GET /callback': 'none',
    });
    expect(entry(report, 'route GET /callback').note).toBe('built by handleAuth() from @workos-inc/authkit-nextjs');
    expect((await reportOf('public-route', ['app/api/**'])).required?.failures.map((f) => f.file)).toEqual([
      'app/api/health/route.ts',
    ]);
  });

  it('a middleware that wraps createSessionMfaMiddleware in its own function makes its coverage unknown', async () => {
    const report = await reportOf('composed-middleware');
    expect(report.middleware.state).toBe('unknown');
    expect(guards(report)).toEqual({ 'route GET /admin': 'unknown', 'route POST /admin/keys': 'withSessionMfa' });
    expect(entry(report, 'route GET /admin').note).toContain('inside code the report does not follow');
  });
});

describe('rules chosen by a run-time switch', () => {
  it('count only the rules both branches start with: a rule of one branch guards nothing for sure', async () => {
    const report = await reportOf('switched-rules', ['app/admin/**']);
    expect(guards(report)).toEqual({ 'page /account': 'none', 'page /admin': 'middleware' });
    expect(report.exitCode).toBe(0);
    expect((await reportOf('switched-rules', ['app/account/**'])).exitCode).toBe(1);
  });
});
