import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCoverage } from '../../lib/cli/coverage/index';
import { entry, guards, runCli } from './helpers';

/** The demo's admin entries, as `npm run coverage` requires them. */
const DEMO_REQUIRED = ['app/admin/**', 'app/api/admin/**', 'app/api/mfa/factors/[factorId]/route.ts'];

describe('coverage on the demo app', () => {
  it('lists every route handler, action and page with its guard, and every admin entry is guarded', async () => {
    const report = await runCoverage({ root: '.', require: DEMO_REQUIRED, manifest: null });
    expect(guards(report)).toEqual({
      'route POST /api/admin/keys/rotate': 'withSessionMfa',
      'route GET /api/admin/report': 'withSessionMfa',
      'route DELETE /api/mfa/factors/[factorId]': 'withSessionMfa',
      'route GET /api/session-mfa': 'none',
      'route POST /api/webhooks/workos': 'none',
      'route GET /callback': 'none',
      'route GET /login': 'none',
      'route GET /logout': 'none',
      'route GET /step-up/verify': 'none',
      'route POST /step-up/verify': 'none',
      // Enrollment decides who may enroll inside the library (fresh MFA or an email code), not by a guard.
      'action sendEmailCode': 'none',
      'action verifyEmailCode': 'none',
      'action startEnrollment': 'none',
      'action confirmEnrollment': 'none',
      'action cancelEnrollment': 'none',
      'action rotateApiKey': 'both',
      'action unlockMember': 'both',
      'page /account/authenticator': 'none',
      'page /account': 'none',
      'page /admin/keys': 'middleware',
      'page /admin': 'middleware',
      'page /admin/support': 'middleware',
      'page /audit': 'unknown',
      'page /': 'none',
      'page /step-up': 'none',
    });
    expect(report.required?.failures).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(entry(report, 'action rotateApiKey')).toMatchObject({
      wrapper: { status: 'guarded', policy: { expression: 'policies.rotateKeys', name: 'rotate-keys' } },
      middleware: {
        status: 'covered',
        rules: [{ path: '/admin/:path*', policy: { expression: 'policies.admin', name: 'admin-area' } }],
      },
    });
    expect(entry(report, 'route DELETE /api/mfa/factors/[factorId]').wrapper).toMatchObject({
      policy: { expression: 'removeFactorPolicy', name: 'remove-factor' },
    });
    expect(entry(report, 'route POST /step-up/verify').wrapper).toEqual({
      status: 'none',
      detail: 'defined in the package authkit-session-mfa/step-up',
    });
    expect(entry(report, 'page /audit').note).toContain(
      'requireSessionMfa(admin-area (policies.admin)) is called in the body',
    );
  });

  it("the root README's report is this app's report, verbatim: the command shown is run", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /```text\n\$ (npx authkit-session-mfa coverage [^\n]*)\n([\s\S]*?)```/.exec(readme);
    expect(block, 'a ```text block starting with `$ npx authkit-session-mfa coverage`').not.toBeNull();
    const [, command, shown] = block!;
    // Shell words: single-quoted globs stay whole.
    const args = [...command!.matchAll(/'([^']*)'|(\S+)/g)].map(([, quoted, bare]) => quoted ?? bare!).slice(2);
    // As on a fresh clone: no build to cross-check, no redirect URI configured.
    const { NEXT_PUBLIC_WORKOS_REDIRECT_URI: _unset, ...env } = process.env;
    const run = await runCli([...args, '--no-manifest'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(shown);
  }, 60_000);
});
