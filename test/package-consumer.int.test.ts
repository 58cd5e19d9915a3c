/**
 * The package as a team adopts it: `npm pack` the library, create a fresh Next 16 app in a temp directory
 * outside the repository with `next` and `@upstash/redis` at other versions than this repository's, install
 * the tarball and the peers, copy the README's quick start verbatim, typecheck, `next build`, `next start`
 * against the WorkOS emulator and the Upstash stand-in, and call the protected route handler.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../emulators/upstash/server';
import { authkitEnv, startWorkosEmulator, type WorkosEmulator } from '../emulators/workos';
import { createSessionLedger } from '../lib/ledger/ledger';
import { upstashStore } from '../lib/ledger/upstash';
import { signInForTest, type TestSession } from '../lib/testing';
import { readmeFiles } from '../scripts/readme-files';
import { freePort } from '../test-support/free-port';
import { writeNextApp } from '../test-support/next-app';
import { waitUntil } from '../test-support/wait-until';

const root = resolve(__dirname, '..');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** One patch (or minor) away from this repository's pins, so a copy bundled with the library would show. */
const APP_VERSIONS = { next: '16.4.5', '@upstash/redis': '1.38.4' };
const COOKIE_PASSWORD = 'consumer-app-cookie-password-0123456789abcdef';

const app = mkdtempSync(join(tmpdir(), 'session-mfa-consumer-'));
let packedFiles: string[] = [];
let emulator: WorkosEmulator;
let standIn: UpstashStandIn;
let server: ChildProcess | undefined;
let output = '';
let origin = '';

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The app's environment: the stand-ins' settings, as `.env.local` would give them. */
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0 });
  standIn = await startUpstashStandIn({ port: 0, token: 'consumer-token', redisUrl: inject('redisUrl') });
  const port = await freePort();
  origin = `http://localhost:${port}`;

  // npm pack runs the package's `prepack` (a fresh build), as `npm publish` would; the build's log comes first.
  const packOutput = run('npm', ['pack', '--json', '--pack-destination', app], { cwd: join(root, 'lib') });
  const [packed] = JSON.parse(packOutput.slice(packOutput.search(/^\[$/m))) as [
    { filename: string; files: { path: string }[] },
  ];
  packedFiles = packed.files.map((f) => f.path).sort();

  const readme = readmeFiles(readFileSync(join(root, 'lib', 'README.md'), 'utf8'));
  // The quick start, plus the README's Vitest setup and example (run below, against the stand-ins).
  const quickStart = readme.filter(
    (f) =>
      f.section.startsWith('Quick start') ||
      f.path === 'vitest.config.ts' ||
      f.path === 'app/api/admin/report/route.test.ts',
  );
  writeNextApp(app, {
    'package.json': `${JSON.stringify(
      {
        name: 'fresh-app',
        private: true,
        dependencies: {
          'authkit-session-mfa': `file:./${packed.filename}`,
          next: APP_VERSIONS.next,
          react: rootPkg.dependencies.react,
          'react-dom': rootPkg.dependencies['react-dom'],
          '@workos-inc/authkit-nextjs': rootPkg.dependencies['@workos-inc/authkit-nextjs'],
          '@upstash/redis': APP_VERSIONS['@upstash/redis'],
          '@upstash/ratelimit': rootPkg.dependencies['@upstash/ratelimit'],
        },
        devDependencies: {
          typescript: rootPkg.devDependencies.typescript,
          vitest: rootPkg.devDependencies.vitest,
          '@types/react': rootPkg.devDependencies['@types/react'],
          '@types/node': rootPkg.devDependencies['@types/node'],
        },
      },
      null,
      2,
    )}\n`,
    // As create-next-app 16.4 writes it: Cache Components on.
    'next.config.ts':
      "import type { NextConfig } from 'next';\n\nconst nextConfig: NextConfig = { cacheComponents: true };\n\nexport default nextConfig;\n",
    ...Object.fromEntries(quickStart.map((f) => [f.path, f.text])),
  });
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });

  env = {
    ...process.env,
    ...authkitEnv({
      port: emulator.port,
      apiKey: emulator.apiKey,
      clientId: emulator.clientId,
      cookiePassword: COOKIE_PASSWORD,
      redirectUri: `${origin}/callback`,
    }),
    UPSTASH_REDIS_REST_URL: standIn.url,
    UPSTASH_REDIS_REST_TOKEN: standIn.token,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  run(process.execPath, [join(app, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { cwd: app, env });
  server = spawn(
    process.execPath,
    [join(app, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port)],
    { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  await waitUntil(async () => (await fetch(origin).catch(() => null))?.ok === true, {
    timeoutMs: 30_000,
    what: 'next start',
  });
}, 420_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await standIn?.close();
  await emulator?.close();
  rmSync(app, { recursive: true, force: true });
});

/** Alice signed in, sealed with the app's cookie password (the library's own test sign-in). */
async function signedIn(): Promise<TestSession> {
  const workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
  return signInForTest({
    workos,
    clientId: emulator.clientId,
    email: 'alice@acme.test',
    password: 'alice-password-1',
    cookiePassword: COOKIE_PASSWORD,
  });
}

describe('a fresh Next 16 app installing the packed library', () => {
  it('packs only the build, the README and the license', () => {
    expect(packedFiles.filter((f) => !f.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(packedFiles).toContain('dist/index.js');
    expect(packedFiles).toContain('dist/index.d.ts');
    expect(packedFiles.some((f) => f.includes('.test.'))).toBe(false);
  });

  it.each(['next', 'react', '@upstash/redis'])('has exactly one copy of %s (the app’s own)', (name) => {
    const copies = run('npm', ['ls', name, '--all', '--parseable'], { cwd: app }).trim().split('\n').filter(Boolean);
    expect(copies).toEqual([join(app, 'node_modules', name)]);
  });

  it('typechecks the README quick start verbatim', () => {
    const tsc = spawnSync(join(app, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
  });

  it('answers 401 signed out on the protected route handler', async () => {
    const res = await fetch(`${origin}/api/admin/report`);
    expect(res.status).toBe(401);
  });

  it('answers 403 + WWW-Authenticate (RFC 9470) to a session without MFA, 200 once its ledger entry exists', async () => {
    const session = await signedIn();
    const cookie = session.cookieHeader;
    const refused = await fetch(`${origin}/api/admin/report`, { headers: { cookie } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_user_authentication", .*max_age=43200$/,
    );
    expect(await refused.json()).toMatchObject({
      error: 'insufficient_user_authentication',
      reason: 'no_evidence',
      step_up_url: '/step-up?return_to=%2F',
    });

    const ledger = createSessionLedger({
      store: upstashStore(new Redis({ url: standIn.url, token: standIn.token, automaticDeserialization: false })),
    });
    await session.recordMfa({ ledger });
    const allowed = await fetch(`${origin}/api/admin/report`, { headers: { cookie } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ revenue: 42 });
  });

  it('sends a page navigation under the rule to step-up, through the proxy', async () => {
    const cookie = (await signedIn()).cookieHeader;
    const res = await fetch(`${origin}/admin/settings`, {
      headers: { cookie, accept: 'text/html', 'sec-fetch-dest': 'document' },
      redirect: 'manual',
    });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('/step-up?return_to=%2Fadmin%2Fsettings');
  });

  it("ships the coverage CLI: `npx authkit-session-mfa coverage` finds the quick start's guard", () => {
    const report = JSON.parse(
      run('npx', ['authkit-session-mfa', 'coverage', '--json', '--require', 'app/api/admin/**'], { cwd: app }),
    ) as { entries: { label: string; guard: string }[]; exitCode: number };
    expect(report.entries).toContainEqual(
      expect.objectContaining({ label: 'GET /api/admin/report', guard: 'withSessionMfa' }),
    );
    expect(report.exitCode).toBe(0);
  });

  it('renders the drop-in step-up page for a signed-in session: a form that works without JavaScript', async () => {
    const { cookieHeader: cookie } = await signedIn();
    const res = await fetch(`${origin}/step-up?return_to=%2Fadmin%2Fsettings`, {
      headers: { cookie, accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Verify it’s you</h1>');
    // Attributes in any order, names as React writes them (HTML ignores their case).
    const tag = (pattern: RegExp) => pattern.exec(html)?.[0] ?? '';
    const form = tag(/<form class="mfa-form"[^>]*>/);
    expect(form).toContain('action="/step-up/verify"');
    expect(form).toContain('method="post"');
    expect(html).toContain('<input type="hidden" name="return_to" value="/admin/settings"/>');
    expect(html).toContain('<input type="hidden" name="factor_id" value="auth_factor_alice_totp"/>');
    const code = tag(/<input[^>]* name="code"[^>]*>/).toLowerCase();
    expect(code).toContain('autocomplete="one-time-code"');
    expect(code).toContain('inputmode="numeric"');
    expect(code).not.toContain('maxlength');
    expect(html).toContain('Sign in again through AuthKit');
    expect(html).toMatch(/<link rel="stylesheet" href="[^"]+\.css"/); // step-up.css, imported by the layout
    // Rendered per request without complaint under Cache Components (e.g. no clock read while prerendering).
    expect(output).not.toMatch(/Route "\/step-up"|⨯/);
  });

  it('serves the step-up route: the dialog’s data, a code checked through WorkOS (JSON or redirects), cross-site posts refused', async () => {
    const { cookieHeader: cookie, sessionId: sid, userId } = await signedIn();
    const data = await fetch(`${origin}/step-up/verify`, { headers: { cookie, accept: 'application/json' } });
    expect(await data.json()).toMatchObject({
      status: 'ready',
      factors: [{ id: 'auth_factor_alice_totp' }],
      reauthentication: true,
      form: { codeLabel: '6-digit code' },
    });

    const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${origin}/step-up/verify`, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { cookie, origin, ...headers },
        redirect: 'manual',
      });
    const crossSite = await post(
      { factor_id: 'auth_factor_alice_totp', code: '000000' },
      { origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);

    const noJs = await post({ factor_id: 'auth_factor_alice_totp', code: '000000', return_to: '/admin/settings' });
    expect(noJs.status).toBe(303);
    expect(noJs.headers.get('location')).toBe('/step-up?return_to=%2Fadmin%2Fsettings&error=invalid_code');

    const codeNow = emulator.control
      .users()
      .flatMap((u) => u.totpFactors)
      .find((f) => f.id === 'auth_factor_alice_totp')!.codeNow;
    const verified = await post(
      {
        factor_id: 'auth_factor_alice_totp',
        code: `${codeNow.slice(0, 3)} ${codeNow.slice(3)}`,
        return_to: '/admin/settings',
      },
      { accept: 'application/json' },
    );
    expect(await verified.json()).toEqual({ ok: true, redirectTo: '/admin/settings' });
    const ledger = createSessionLedger({
      store: upstashStore(new Redis({ url: standIn.url, token: standIn.token, automaticDeserialization: false })),
    });
    expect(await ledger.lookup(sid)).toMatchObject({
      status: 'found',
      entry: { sessionId: sid, userId, source: 'step_up', factorId: 'auth_factor_alice_totp' },
    });
  });

  it('ships the step-up dialog to the browser, and refuses a server action under the rule in the plain text useStepUp reads', async () => {
    const chunks = join(app, '.next', 'static', 'chunks');
    const js = readdirSync(chunks, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(js.some((f) => readFileSync(join(chunks, f), 'utf8').includes('mfa-dialog'))).toBe(true);

    const { cookieHeader: cookie } = await signedIn();
    const refused = await fetch(`${origin}/admin/settings`, {
      method: 'POST',
      headers: { cookie, origin, 'next-action': '00ab', accept: 'text/x-component' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('text/plain');
    expect(await refused.text()).toMatch(/^authkit-session-mfa:step_up_required:v1 \{"sessionMfa":"step_up_required"/);
  });

  it("runs the README's Vitest example with its config: withTestSession against the app's real ledger", async () => {
    // Not spawnSync: the stand-ins answer from this process, whose event loop must keep running.
    const vitest = spawn(process.execPath, [join(app, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
      cwd: app,
      env: { ...env, NODE_ENV: 'test', NO_COLOR: '1' },
    });
    let printed = '';
    vitest.stdout.on('data', (chunk: Buffer) => void (printed += chunk.toString()));
    vitest.stderr.on('data', (chunk: Buffer) => void (printed += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => vitest.once('close', resolve));
    expect(printed).toMatch(/Tests\s+1 passed \(1\)/);
    expect(status).toBe(0);
  });

  it('writes an audit record for each decision (the quick start configures the sinks)', async () => {
    await waitUntil(() => output.includes('"target":"GET /api/admin/report"'), { what: 'an audit line on stdout' });
    const records = output
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"audit":"session-mfa"'))
      .map((line) => JSON.parse(line) as { type: string; decision?: string; target?: string });
    expect(
      records.filter((r) => r.type === 'decision' && r.target === 'GET /api/admin/report').map((r) => r.decision),
    ).toEqual(expect.arrayContaining(['deny', 'step_up', 'allow']));
  });
});
