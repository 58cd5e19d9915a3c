/**
 * `npm run test:load` — many concurrent sessions against the built demo under `next start`, each answer checked
 * against the decision its session must get; then concurrent step-ups of one user through the real step-up form,
 * concurrent ledger writes to one session, and hostile probes. Loopback only, bounded in requests and time.
 *
 * Options: --sessions N (48) --requests N (3000) --concurrency N (16) --max-seconds N (120) --seed N (7)
 * Exit code 1 on any wrong decision, 5xx, failed check or probe.
 */
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { createClient } from 'redis';
import { createSessionLedger } from '../lib/ledger/ledger';
import { upstashStore } from '../lib/ledger/upstash';
import { prepareDemoBuild, removeDemoBuildCopy, startDemoStack, type DemoStack } from '../test/hostile/support/demo-stack';
import { ENDPOINTS, ENTRY_AGE, judge, KINDS, requestFor, type Endpoint, type SessionKind } from './load-test/expectations';
import { runProbes } from './load-test/probes';
import { forgedSession, signInHosted, signInPasswordGrant, signOutKeepingCookie, type Session } from './load-test/sessions';
import { crossOriginStepUp, forgedIdentityStepUp, stepUpRace } from './load-test/step-up-race';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

const OPTIONS = { sessions: option('sessions', 48), requests: option('requests', 3000), concurrency: option('concurrency', 16), maxSeconds: option('max-seconds', 120), seed: option('seed', 7) };
const USERS = [
  { email: 'alice@acme.test', password: 'alice-password-1' },
  { email: 'bob@acme.test', password: 'bob-password-1' },
] as const;
const now = () => Math.floor(Date.now() / 1000);
const log = (line: string) => console.log(`[load] ${line}`);

/** A small deterministic PRNG, so a run can be repeated request for request. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Planned {
  readonly kind: SessionKind;
  readonly session: Session;
}

async function createSessions(stack: DemoStack, workos: WorkOS): Promise<Planned[]> {
  const ledger = createSessionLedger({ store: upstashStore(new Redis({ url: stack.standIn.url, token: stack.standIn.token, automaticDeserialization: false, retry: { retries: 0 } })) });
  const planned: Planned[] = [];
  for (let i = 0; i < OPTIONS.sessions; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const user = USERS[i % 2]!;
    const other = USERS[(i + 1) % 2]!;
    let session: Session;
    if (kind === 'signed-out') session = { jar: new (await import('./load-test/browser')).CookieJar(), sid: null, userId: null, email: null };
    else if (kind === 'forged') session = await forgedSession(stack, workos);
    else session = i < KINDS.length * 2 ? await signInHosted(stack, user.email, user.password) : await signInPasswordGrant(stack, workos, user.email, user.password);
    const age = ENTRY_AGE[kind];
    if (session.sid && session.userId && (age !== undefined || kind === 'revoked')) {
      await ledger.record({ sid: session.sid, userId: session.userId, verifiedAt: now() - (age ?? 30), methods: ['otp'], source: 'step_up' });
    }
    if (kind === 'foreign' && session.sid) {
      const otherId = other.email.startsWith('alice') ? 'user_alice' : 'user_bob';
      await ledger.record({ sid: session.sid, userId: otherId, verifiedAt: now() - 30, methods: ['otp'], source: 'step_up' });
    }
    if (kind === 'revoked') session = await signOutKeepingCookie(stack, session);
    planned.push({ kind, session });
  }
  return planned;
}

async function ledgerSnapshot(stack: DemoStack): Promise<string> {
  const redis = await createClient({ url: stack.redis.url }).connect();
  try {
    const keys = (await redis.keys('authkit-mfa:v1:*:ledger')).sort();
    const values = await Promise.all(keys.map((k) => redis.get(k)));
    return JSON.stringify(keys.map((k, i) => [k, values[i]]));
  } finally {
    redis.destroy();
  }
}

async function rotations(stack: DemoStack): Promise<number> {
  const redis = await createClient({ url: stack.redis.url }).connect();
  try {
    return Number((await redis.get('demo:v1:{org_acme}:api-key:rotations')) ?? 0);
  } finally {
    redis.destroy();
  }
}

interface Outcome {
  readonly kind: SessionKind;
  readonly endpoint: Endpoint;
  readonly status: number;
  readonly ms: number;
  readonly wrong: string | null;
}

async function loadPhase(stack: DemoStack, planned: readonly Planned[]): Promise<{ outcomes: Outcome[]; seconds: number }> {
  const rand = random(OPTIONS.seed);
  const work = Array.from({ length: OPTIONS.requests }, () => ({ p: planned[Math.floor(rand() * planned.length)]!, endpoint: ENDPOINTS[Math.floor(rand() * ENDPOINTS.length)]! }));
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + OPTIONS.maxSeconds * 1000;
  const started = performance.now();
  let next = 0;
  const ctx = { baseUrl: stack.baseUrl, workosUrl: stack.emulator.url };
  await Promise.all(
    Array.from({ length: OPTIONS.concurrency }, async () => {
      while (next < work.length && Date.now() < deadline) {
        const { p, endpoint } = work[next++]!;
        const [url, init] = requestFor(endpoint, stack.baseUrl, p.session.jar.header());
        const t0 = performance.now();
        let status = 0;
        let wrong: string | null;
        try {
          const res = await fetch(url, init);
          const body = await res.text();
          status = res.status;
          wrong = judge(p.kind, endpoint, res, body, ctx);
        } catch (error) {
          wrong = `request failed: ${error instanceof Error ? error.message : String(error)}`;
        }
        outcomes.push({ kind: p.kind, endpoint, status, ms: performance.now() - t0, wrong });
      }
    }),
  );
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

async function concurrentLedgerWrites(stack: DemoStack, workos: WorkOS): Promise<string[]> {
  const problems: string[] = [];
  const session = await signInPasswordGrant(stack, workos, 'bob@acme.test', 'bob-password-1');
  const ledger = createSessionLedger({ store: upstashStore(new Redis({ url: stack.standIn.url, token: stack.standIn.token, automaticDeserialization: false, retry: { retries: 0 } })) });
  const base = now() - 120;
  const written = Array.from({ length: 25 }, (_, i) => ({ sid: session.sid!, userId: session.userId!, verifiedAt: base + i, methods: ['otp'], factorId: `auth_factor_${i}`, source: 'step_up' as const }));
  await Promise.all(written.map((e) => ledger.record(e)));
  const found = await ledger.lookup(session.sid!);
  if (found.status !== 'found' || !written.some((e) => JSON.stringify(e) === JSON.stringify(found.entry))) problems.push(`after 25 concurrent writes the entry is not one of them: ${JSON.stringify(found)}`);
  const res = await fetch(`${stack.baseUrl}/api/session-mfa`, { headers: { cookie: session.jar.header() ?? '', accept: 'application/json' } });
  const body = (await res.json()) as { policies?: { admin?: { allowed: boolean; evidence?: { verifiedAt: string } } } };
  const verifiedAt = found.status === 'found' ? new Date(found.entry.verifiedAt * 1000).toISOString() : null;
  if (!body.policies?.admin?.allowed || body.policies.admin.evidence?.verifiedAt !== verifiedAt) problems.push(`the app does not read the surviving entry: ${JSON.stringify(body.policies?.admin)}`);
  return problems;
}

async function main(): Promise<number> {
  log(`options ${JSON.stringify(OPTIONS)}`);
  const build = await prepareDemoBuild((line) => log(line));
  log(`demo build ${build}; starting next start with its own Redis, Upstash stand-in and WorkOS emulator`);
  const stack = await startDemoStack();
  const failures: string[] = [];
  try {
    log(`app ${stack.baseUrl}, WorkOS emulator ${stack.emulator.url}, Upstash stand-in ${stack.standIn.url}, Redis ${stack.redis.url}`);
    const workos = new WorkOS(stack.emulator.apiKey, { apiHostname: '127.0.0.1', https: false, port: stack.emulator.port, clientId: stack.emulator.clientId });
    const t0 = performance.now();
    const planned = await createSessions(stack, workos);
    const counts = Object.fromEntries(KINDS.map((k) => [k, planned.filter((p) => p.kind === k).length]));
    log(`${planned.length} sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s (first ${KINDS.length * 2} through the hosted sign-in page and /callback): ${JSON.stringify(counts)}`);

    const ledgerBefore = await ledgerSnapshot(stack);
    const rotationsBefore = await rotations(stack);
    const { outcomes, seconds } = await loadPhase(stack, planned);
    const wrong = outcomes.filter((o) => o.wrong !== null);
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const allowedRotations = outcomes.filter((o) => o.endpoint === 'POST /api/admin/keys/rotate' && o.status === 200).length;
    const rotated = (await rotations(stack)) - rotationsBefore;
    log(`load: ${outcomes.length} requests in ${seconds.toFixed(1)} s (${(outcomes.length / seconds).toFixed(0)} req/s, concurrency ${OPTIONS.concurrency}); latency p50 ${percentile(ms, 50).toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms, max ${percentile(ms, 100).toFixed(0)} ms`);
    for (const endpoint of ENDPOINTS) {
      const of = outcomes.filter((o) => o.endpoint === endpoint);
      const statuses: Record<number, number> = {};
      for (const o of of) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
      log(`  ${endpoint.padEnd(28)} ${String(of.length).padStart(5)} requests, statuses ${JSON.stringify(statuses)}, wrong ${of.filter((o) => o.wrong).length}`);
    }
    log(`wrong decisions: ${wrong.length}; 5xx: ${serverErrors.length}; key rotations allowed ${allowedRotations}, performed ${rotated}`);
    for (const o of wrong.slice(0, 10)) log(`  WRONG ${o.kind} ${o.endpoint}: ${o.wrong}`);
    if (outcomes.length < OPTIONS.requests) failures.push(`only ${outcomes.length} of ${OPTIONS.requests} requests ran within ${OPTIONS.maxSeconds} s`);
    if (wrong.length > 0) failures.push(`${wrong.length} wrong decisions`);
    if (serverErrors.length > 0) failures.push(`${serverErrors.length} responses were 5xx`);
    if (rotated !== allowedRotations) failures.push(`rotations performed (${rotated}) differ from rotations allowed (${allowedRotations})`);
    if ((await ledgerSnapshot(stack)) !== ledgerBefore) failures.push('the load phase changed the ledger');

    const alice = await Promise.all([signInPasswordGrant(stack, workos, 'alice@acme.test', 'alice-password-1'), signInPasswordGrant(stack, workos, 'alice@acme.test', 'alice-password-1')]);
    const code = stack.emulator.control.users().find((u) => u.email === 'alice@acme.test')?.totpFactors[0]?.codeNow ?? '';
    const race = await stepUpRace(stack, alice, 4, code);
    log(`step-up race: ${race.attempts} concurrent submissions of one code from 2 sessions of one user → ${race.successes} success, refusals ${JSON.stringify(race.refusals)}, winner sent to ${JSON.stringify(race.locations)}, ledger entries ${race.entries.filter((e) => e !== null).length}`);
    failures.push(...race.problems);
    for (const [i, s] of alice.entries()) {
      const res = await fetch(`${stack.baseUrl}/api/session-mfa`, { headers: { cookie: s.jar.header() ?? '', accept: 'application/json' } });
      const admin = ((await res.json()) as { policies: { admin: { allowed: boolean } } }).policies.admin;
      if (admin.allowed !== (race.entries[i] !== null)) failures.push(`race session ${i}: decision ${admin.allowed} does not match its ledger entry`);
    }

    stack.emulator.control.advanceClock(30); // the next TOTP step: a code nobody used
    const xoCode = stack.emulator.control.users().find((u) => u.email === 'alice@acme.test')?.totpFactors[0]?.codeNow ?? '';
    const xo = await crossOriginStepUp(stack, await signInPasswordGrant(stack, workos, 'alice@acme.test', 'alice-password-1'), xoCode);
    log(`cross-origin step-up form post with a right code → ${xo.status}, ${xo.problems.length === 0 ? 'not verified, no ledger entry' : xo.problems.join('; ')}`);
    failures.push(...xo.problems);

    stack.emulator.control.advanceClock(30);
    const fiCode = stack.emulator.control.users().find((u) => u.email === 'alice@acme.test')?.totpFactors[0]?.codeNow ?? '';
    const [poster, victim] = await Promise.all([signInPasswordGrant(stack, workos, 'alice@acme.test', 'alice-password-1'), signInPasswordGrant(stack, workos, 'bob@acme.test', 'bob-password-1')]);
    const fi = await forgedIdentityStepUp(stack, poster, victim, fiCode);
    log(`step-up form with forged sid/user_id fields naming another session → ${fi.status}, ${fi.problems.length === 0 ? "the victim's session got nothing" : fi.problems.join('; ')}`);
    failures.push(...fi.problems);

    const writes = await concurrentLedgerWrites(stack, workos);
    log(`25 concurrent ledger writes to one session: ${writes.length === 0 ? 'one intact entry, read back by the app' : writes.join('; ')}`);
    failures.push(...writes);

    const probes = await runProbes(stack, planned.find((p) => p.kind === 'none')!.session, planned.find((p) => p.kind === 'mfa')!.session);
    const failed = probes.filter((p) => !p.ok);
    log(`hostile probes against the built demo: ${probes.length - failed.length}/${probes.length} refused as they must be`);
    for (const p of probes) log(`  ${p.ok ? 'ok  ' : 'FAIL'} ${p.name} → ${p.detail.slice(0, 100)}`);
    failures.push(...failed.map((p) => `probe failed: ${p.name} (${p.detail})`));
  } catch (error) {
    failures.push(`run aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    log(`server stderr (tail):\n${stack.stderr().slice(-3000)}`);
  } finally {
    await stack.stop();
    removeDemoBuildCopy();
  }
  if (failures.length > 0) {
    log(`FAILED:\n  ${failures.join('\n  ')}`);
    return 1;
  }
  log('PASSED: every response matched its session’s decision; no 5xx');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
