/**
 * `npm run test:load` — the built demo under `next start` (its own Redis, Upstash stand-in and WorkOS emulator,
 * started by scripts/stack/stack.ts) driven by many concurrent sessions of every kind. Each answer is checked
 * against the decision its session must get at that moment, while sessions step up, sign out, are revoked at
 * WorkOS (`session.revoked` webhook) and lose their factor, and while the ledger is down for a stretch in the
 * middle. Then concurrent step-ups of one user through the real step-up form, concurrent ledger writes to one
 * session, and hostile probes. Loopback only, bounded in requests and time.
 *
 * Options: --sessions N (800) --users N (40) --requests N (10000) --concurrency N (32) --rounds N (4: each a
 * step-up, a sign-out, a revocation and a factor removal) --outage-requests N (5 % of --requests)
 * --max-seconds N (900) --seed N (7)
 * Exit code 1 on any wrong decision, undocumented 5xx, failed event, check or probe.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { createSessionLedger } from 'authkit-session-mfa';
import { upstashStore } from 'authkit-session-mfa/upstash';
import { DEFAULT_SEED_PATH, loadSeed } from '../emulators/workos';
import { withDemoDefaults } from './demo-env';
import { CookieJar } from './load-test/browser';
import { removeFactor, revoke, signOut, stepUp, type EventResult, type EventType } from './load-test/events';
import {
  ENDPOINTS,
  ENTRY_AGE,
  judge,
  KINDS,
  POLICIES,
  possibleDecisions,
  requestFor,
  type Endpoint,
  type SessionKind,
} from './load-test/expectations';
import { freshFor, type LoadSession } from './load-test/model';
import { runProbes } from './load-test/probes';
import { Scheduler } from './load-test/scheduler';
import { loadUsers, withLoadUsers, type LoadUser } from './load-test/seed';
import {
  forgedSession,
  signInHosted,
  signInWithHelper,
  signOutKeepingCookie,
  tokenClaims,
  type LoadTarget,
  type Session,
} from './load-test/sessions';
import { crossOriginStepUp, forgedIdentityStepUp, stepUpRace } from './load-test/step-up-race';
import { startStack, type Stack } from './stack/stack';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number ≥ 0`);
  return value;
}

const requests = option('requests', 10_000);
const OPTIONS = {
  sessions: option('sessions', 800),
  users: option('users', 40),
  requests,
  concurrency: option('concurrency', 32),
  rounds: option('rounds', 4),
  outageRequests: option('outage-requests', Math.round(requests * 0.05)),
  maxSeconds: option('max-seconds', 900),
  seed: option('seed', 7),
};
const now = () => Math.floor(Date.now() / 1000);
const runStarted = performance.now();
const log = (line: string) =>
  console.log(`[load ${((performance.now() - runStarted) / 1000).toFixed(0).padStart(3)} s] ${line}`);

/** A small deterministic PRNG, so a run can be repeated request for request. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 'none'
    : `min ${sorted[0]!.toFixed(0)} ms, median ${percentile(sorted, 50).toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms`;
};

async function createSession(target: LoadTarget, index: number, users: readonly LoadUser[]): Promise<LoadSession> {
  const kind = KINDS[index % KINDS.length]!;
  // Consecutive blocks of KINDS.length sessions per user: every user holds sessions of every kind.
  const user = users[Math.floor(index / KINDS.length) % users.length]!;
  const other = users[(Math.floor(index / KINDS.length) + 1) % users.length]!;
  const base = { index, kind, user, busy: false, locked: false };
  // The first 8 sessions of the kinds without MFA of their own come through the hosted page and /callback.
  const hosted = index < KINDS.length * 8 && (kind === 'none' || kind === 'foreign');
  switch (kind) {
    case 'mfa':
    case 'admin-only':
    case 'stale': {
      const signedIn = await signInWithHelper(target, user.email, user.password, ENTRY_AGE[kind]);
      return {
        ...base,
        session: signedIn,
        state: { auth: 'live', evidence: { verifiedAt: signedIn.mfaVerifiedAt! } },
        takesCookies: true,
      };
    }
    case 'none':
    case 'foreign': {
      const session = hosted
        ? await signInHosted(target, user.email, user.password)
        : await signInWithHelper(target, user.email, user.password);
      if (kind === 'none') return { ...base, session, state: { auth: 'live', evidence: null }, takesCookies: true };
      // ATTACK: another user's verified-looking entry planted under this session's key.
      await target.ledger.record({
        sessionId: session.sid!,
        userId: other.id,
        verifiedAt: now() - 30,
        methods: ['otp'],
        source: 'step_up',
      });
      return { ...base, session, state: { auth: 'live', evidence: 'foreign' }, takesCookies: true };
    }
    case 'revoked': {
      // Verified, then signed out: /logout must have removed the entry the replayed cookie would find.
      const replayed = await signOutKeepingCookie(
        target,
        await signInWithHelper(target, user.email, user.password, 30),
      );
      return {
        ...base,
        session: replayed,
        state: { auth: 'ended', tokenExp: (await tokenClaims(target, replayed.jar)).exp, evidence: null },
        takesCookies: false,
      };
    }
    case 'signed-out':
      return {
        ...base,
        session: { jar: new CookieJar(), sid: null, userId: null },
        state: { auth: 'none', evidence: null },
        takesCookies: false,
      };
    case 'forged':
      return {
        ...base,
        session: await forgedSession(target, user.email, user.password),
        state: { auth: 'forged', evidence: null },
        takesCookies: false,
      };
  }
}

interface Item {
  readonly session: LoadSession;
  readonly endpoint: Endpoint;
}

interface Outcome {
  readonly kind: SessionKind;
  readonly endpoint: Endpoint;
  readonly status: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly ms: number;
  readonly ledgerDown: boolean;
  /** The answer says `ledger_unavailable` (a 503, or a status report): the ledger failed or passed its 500 ms deadline. */
  readonly unavailable: boolean;
  readonly wrong: string | null;
}

/** Where the events fall, as counts of completed requests: half before the outage, half after. */
function eventPlan(
  rounds: number,
  total: number,
  outageAt: number,
  outageEnd: number,
): Array<{ at: number; type: EventType }> {
  const types: EventType[] = ['step-up', 'sign-out', 'revocation', 'factor-removal'];
  const events = Array.from({ length: rounds * types.length }, (_, i) => types[i % types.length]!);
  const half = Math.ceil(events.length / 2);
  const spread = (from: number, to: number, n: number) =>
    Array.from({ length: n }, (_, i) => Math.round(from + ((to - from) * (i + 1)) / (n + 1)));
  const at = [...spread(total * 0.02, outageAt, half), ...spread(outageEnd, total * 0.95, events.length - half)];
  return events.map((type, i) => ({ at: at[i]!, type }));
}

async function loadPhase(target: LoadTarget, stack: Stack, sessions: LoadSession[]) {
  const rand = random(OPTIONS.seed);
  const work: Item[] = Array.from({ length: OPTIONS.requests }, () => ({
    session: sessions[Math.floor(rand() * sessions.length)]!,
    endpoint: ENDPOINTS[Math.floor(rand() * ENDPOINTS.length)]!,
  }));
  const scheduler = new Scheduler<LoadSession, Item>(work);
  const ctx = { baseUrl: target.baseUrl, workosUrl: target.emulator.url };
  const outcomes: Outcome[] = [];
  const events: EventResult[] = [];
  const outage = { active: false, startedAt: 0, endedAt: 0 };
  const failures: string[] = [];

  const perform = async ({ session: s, endpoint }: Item) => {
    const ledgerDown = outage.active;
    const [url, init] = requestFor(endpoint, target.baseUrl, s.session.jar.header());
    const startMs = Date.now();
    const t0 = performance.now();
    let status = 0;
    let unavailable = false;
    let wrong: string | null;
    try {
      const res = await fetch(url, init);
      const body = await res.text();
      status = res.status;
      unavailable =
        (status === 503 || endpoint === 'GET /api/session-mfa') && body.includes('"reason":"ledger_unavailable"');
      if (s.takesCookies) s.session.jar.take(res);
      wrong = judge(possibleDecisions(s.state, { startMs, endMs: Date.now(), ledgerDown }), endpoint, res, body, ctx);
    } catch (error) {
      wrong = `request failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    outcomes.push({
      kind: s.kind,
      endpoint,
      status,
      startMs,
      endMs: Date.now(),
      ms: performance.now() - t0,
      ledgerDown,
      unavailable,
      wrong: wrong && `session ${s.index} (${s.kind}): ${wrong}`,
    });
  };

  const outageAt = Math.round(OPTIONS.requests * 0.45);
  const outageEnd = outageAt + OPTIONS.outageRequests;
  const stepUpUsers = new Set<string>();
  const noFactor = new Set<string>();
  const pickFrom = (candidates: LoadSession[]) =>
    candidates.length === 0 ? null : candidates[Math.floor(rand() * candidates.length)]!;
  // Allowed into the admin area now (with a minute to spare), so the revocation shows as allowed → refused.
  const admitted = (s: LoadSession) => freshFor(s, now(), POLICIES.admin, 60);

  async function runEvent(type: EventType): Promise<void> {
    let s: LoadSession | null;
    let held: LoadSession[];
    if (type === 'step-up') {
      s = pickFrom(
        sessions.filter(
          (c) =>
            c.state.auth === 'live' &&
            c.state.evidence === null &&
            !stepUpUsers.has(c.user.id) &&
            !noFactor.has(c.user.id),
        ),
      );
      held = s ? [s] : [];
    } else if (type === 'factor-removal') {
      // Removing a factor needs MFA within 10 minutes: the freshest verified session of a user who still has one.
      s =
        sessions
          .filter((c) => freshFor(c, now(), POLICIES.rotateKeys, 120) && !noFactor.has(c.user.id))
          .sort(
            (a, b) =>
              (b.state.evidence as { verifiedAt: number }).verifiedAt -
              (a.state.evidence as { verifiedAt: number }).verifiedAt,
          )[0] ?? null;
      held = s ? sessions.filter((c) => c.user.id === s!.user.id) : [];
    } else {
      s = pickFrom(sessions.filter(admitted));
      held = s ? [s] : [];
    }
    if (!s) return void failures.push(`no session for a ${type} at request ${scheduler.completed}`);
    await scheduler.lock(held);
    try {
      const result =
        type === 'step-up'
          ? await stepUp(target, s)
          : type === 'sign-out'
            ? await signOut(target, s)
            : type === 'revocation'
              ? await revoke(target, s)
              : await removeFactor(
                  target,
                  s,
                  held.filter((c) => c !== s),
                );
      if (type === 'step-up') stepUpUsers.add(s.user.id);
      if (type === 'factor-removal') noFactor.add(s.user.id);
      events.push(result);
      log(
        `  at request ${scheduler.completed}: ${type} (session ${s.index}, ${s.user.email})${result.refusedAfterMs === undefined ? '' : ` → ${result.actionMs?.toFixed(0)} ms, refused after ${result.refusedAfterMs.toFixed(0)} ms (${result.allowedBefore} allowed before${result.webhookMs === undefined ? '' : `, webhook delivered after ${result.webhookMs} ms`}${result.othersRefused === undefined ? '' : `, ${result.othersRefused} other sessions of the user refused`})`}${result.problems.length ? ` PROBLEMS: ${result.problems.join('; ')}` : ''}`,
      );
      failures.push(...result.problems);
    } catch (error) {
      failures.push(`${type} of session ${s.index} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      scheduler.unlock(held);
    }
  }

  async function conduct(): Promise<void> {
    const plan = eventPlan(OPTIONS.rounds, OPTIONS.requests, outageAt, outageEnd);
    for (const step of plan.filter((p) => p.at < outageAt))
      if (await scheduler.reached(step.at)) await runEvent(step.type);
    if (OPTIONS.outageRequests > 0 && (await scheduler.reached(outageAt))) {
      // Switched between requests (none in flight), so each answer belongs to one side of the outage.
      await scheduler.pause();
      await stack.upstash!.setFault({ mode: 'error500' });
      outage.active = true;
      outage.startedAt = Date.now();
      log(
        `  at request ${scheduler.completed}: ledger outage begins (the Upstash stand-in answers 500 to every command)`,
      );
      scheduler.resume();
      await scheduler.reached(outageEnd);
      await scheduler.pause();
      await stack.upstash!.setFault({ mode: 'none' });
      outage.active = false;
      outage.endedAt = Date.now();
      log(
        `  at request ${scheduler.completed}: ledger outage ends after ${((outage.endedAt - outage.startedAt) / 1000).toFixed(1)} s`,
      );
      scheduler.resume();
    }
    for (const step of plan.filter((p) => p.at >= outageAt))
      if (await scheduler.reached(step.at)) await runEvent(step.type);
  }

  const started = performance.now();
  await Promise.all([scheduler.run(OPTIONS.concurrency, Date.now() + OPTIONS.maxSeconds * 1000, perform), conduct()]);
  return {
    outcomes,
    events,
    outage,
    failures,
    seconds: (performance.now() - started) / 1000,
    remaining: scheduler.remaining,
  };
}

/** The ledger after the run must hold exactly what the model says: each session's own entry, the planted ones, nothing else. */
async function ledgerMatchesModel(target: LoadTarget, sessions: readonly LoadSession[]): Promise<string[]> {
  const problems: string[] = [];
  for (const s of sessions) {
    if (!s.session.sid) continue;
    const found = await target.ledger.lookup(s.session.sid);
    const { evidence } = s.state;
    const ok =
      evidence === null
        ? found.status === 'missing'
        : evidence === 'foreign'
          ? found.status === 'found' && found.entry.userId !== s.session.userId
          : found.status === 'found' &&
            found.entry.userId === s.session.userId &&
            found.entry.verifiedAt === evidence.verifiedAt;
    if (!ok)
      problems.push(
        `session ${s.index} (${s.kind}): ledger holds ${JSON.stringify(found)}, the model expects ${JSON.stringify(evidence)}`,
      );
  }
  return problems;
}

async function concurrentLedgerWrites(target: LoadTarget, session: Session): Promise<string[]> {
  const problems: string[] = [];
  const base = now() - 120;
  // Written by hand on purpose: 25 different entries racing for one key.
  const written = Array.from({ length: 25 }, (_, i) => ({
    sessionId: session.sid!,
    userId: session.userId!,
    verifiedAt: base + i,
    methods: ['otp'],
    factorId: `auth_factor_${i}`,
    source: 'step_up' as const,
  }));
  await Promise.all(written.map((e) => target.ledger.record(e)));
  const found = await target.ledger.lookup(session.sid!);
  if (found.status !== 'found' || !written.some((e) => JSON.stringify(e) === JSON.stringify(found.entry)))
    problems.push(`after 25 concurrent writes the entry is not one of them: ${JSON.stringify(found)}`);
  const res = await fetch(`${target.baseUrl}/api/session-mfa`, {
    headers: { cookie: session.jar.header() ?? '', accept: 'application/json' },
  });
  const body = (await res.json()) as { policies?: { admin?: { allowed: boolean; evidence?: { verifiedAt: string } } } };
  const verifiedAt = found.status === 'found' ? new Date(found.entry.verifiedAt * 1000).toISOString() : null;
  if (!body.policies?.admin?.allowed || body.policies.admin.evidence?.verifiedAt !== verifiedAt)
    problems.push(`the app does not read the surviving entry: ${JSON.stringify(body.policies?.admin)}`);
  return problems;
}

async function rotations(redis: Redis): Promise<number> {
  return Number((await redis.get<string>('demo:v1:{org_acme}:api-key:rotations')) ?? 0);
}

async function checksAfterLoad(target: LoadTarget): Promise<string[]> {
  const failures: string[] = [];
  const alice = await Promise.all([
    signInWithHelper(target, 'alice@acme.test', 'alice-password-1'),
    signInWithHelper(target, 'alice@acme.test', 'alice-password-1'),
  ]);
  const code = () =>
    target.emulator.control.users().find((u) => u.email === 'alice@acme.test')?.totpFactors[0]?.codeNow ?? '';
  const race = await stepUpRace(target, alice, 4, code());
  log(
    `step-up race: ${race.attempts} concurrent submissions of one code from 2 sessions of one user → ${race.successes} success, refusals ${JSON.stringify(race.refusals)}, winner sent to ${JSON.stringify(race.locations)}, ledger entries ${race.entries.filter((e) => e !== null).length}`,
  );
  failures.push(...race.problems);
  for (const [i, s] of alice.entries()) {
    const res = await fetch(`${target.baseUrl}/api/session-mfa`, {
      headers: { cookie: s.jar.header() ?? '', accept: 'application/json' },
    });
    const admin = ((await res.json()) as { policies: { admin: { allowed: boolean } } }).policies.admin;
    if (admin.allowed !== (race.entries[i] !== null))
      failures.push(`race session ${i}: decision ${admin.allowed} does not match its ledger entry`);
  }

  target.emulator.control.advanceClock(30); // the next TOTP step: a code nobody used
  const xo = await crossOriginStepUp(
    target,
    await signInWithHelper(target, 'alice@acme.test', 'alice-password-1'),
    code(),
  );
  log(
    `cross-origin step-up form post with a right code → ${xo.status}, ${xo.problems.length === 0 ? 'not verified, no ledger entry' : xo.problems.join('; ')}`,
  );
  failures.push(...xo.problems);

  target.emulator.control.advanceClock(30);
  const [poster, victim] = await Promise.all([
    signInWithHelper(target, 'alice@acme.test', 'alice-password-1'),
    signInWithHelper(target, 'bob@acme.test', 'bob-password-1'),
  ]);
  const fi = await forgedIdentityStepUp(target, poster, victim, code());
  log(
    `step-up form with forged sid/user_id fields naming another session → ${fi.status}, ${fi.problems.length === 0 ? "the victim's session got nothing" : fi.problems.join('; ')}`,
  );
  failures.push(...fi.problems);

  const writes = await concurrentLedgerWrites(
    target,
    await signInWithHelper(target, 'bob@acme.test', 'bob-password-1'),
  );
  log(
    `25 concurrent ledger writes to one session: ${writes.length === 0 ? 'one intact entry, read back by the app' : writes.join('; ')}`,
  );
  failures.push(...writes);

  // Fresh sessions: the run's own may hold access tokens about to be refreshed, and a probe keeps no cookie.
  const probes = await runProbes(
    target,
    await signInWithHelper(target, 'bob@acme.test', 'bob-password-1'),
    await signInWithHelper(target, 'alice@acme.test', 'alice-password-1', 60),
  );
  const failed = probes.filter((p) => !p.ok);
  log(
    `hostile probes against the built demo: ${probes.length - failed.length}/${probes.length} refused as they must be`,
  );
  for (const p of probes) log(`  ${p.ok ? 'ok  ' : 'FAIL'} ${p.name} → ${p.detail.slice(0, 100)}`);
  failures.push(...failed.map((p) => `probe failed: ${p.name} (${p.detail})`));
  return failures;
}

function summarize(run: Awaited<ReturnType<typeof loadPhase>>, rotationsAllowed: number, rotated: number): string[] {
  const { outcomes, events, outage, seconds } = run;
  const failures: string[] = [];
  // `ledger_unavailable` outside the outage (the ledger's deadline passed on a saturated machine) refuses without
  // deciding: not a wrong decision, but a 503 the run did not plan, so it fails the run all the same.
  const timeouts = outcomes.filter((o) => o.unavailable && !o.ledgerDown);
  const wrong = outcomes.filter((o) => o.wrong !== null && !timeouts.includes(o));
  const serverErrors = outcomes.filter((o) => o.status >= 500);
  const documented = serverErrors.filter((o) => o.ledgerDown && o.status === 503 && o.wrong === null);
  const latency = (of: readonly Outcome[]) => {
    const sorted = of.map((o) => o.ms).sort((a, b) => a - b);
    return `p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${percentile(sorted, 100).toFixed(0)} ms`;
  };
  log(
    `load: ${outcomes.length} requests in ${seconds.toFixed(1)} s (${(outcomes.length / seconds).toFixed(0)} req/s, concurrency ${OPTIONS.concurrency}); latency ${latency(outcomes)}`,
  );
  log(
    `  outside the outage: ${latency(outcomes.filter((o) => !o.ledgerDown))}; during it: ${latency(outcomes.filter((o) => o.ledgerDown))}`,
  );
  for (const endpoint of ENDPOINTS) {
    const of = outcomes.filter((o) => o.endpoint === endpoint);
    const statuses: Record<number, number> = {};
    for (const o of of) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    log(
      `  ${endpoint.padEnd(28)} ${String(of.length).padStart(5)} requests, statuses ${JSON.stringify(statuses)}, wrong ${of.filter((o) => o.wrong).length}`,
    );
  }
  const during = outcomes.filter((o) => o.ledgerDown);
  const firstAllowedAfter = outcomes
    .filter(
      (o) => !o.ledgerDown && o.startMs >= outage.endedAt && o.status === 200 && o.endpoint === 'GET /api/admin/report',
    )
    .sort((a, b) => a.endMs - b.endMs)[0];
  log(
    `ledger outage: ${((outage.endedAt - outage.startedAt) / 1000).toFixed(1)} s, ${during.length} requests, ${documented.length} answered 503 ledger_unavailable as documented, ${during.filter((o) => o.status < 500).length} decided without the ledger (signed out, forged, or pages that only show status); first allowed admin report ${firstAllowedAfter ? `${firstAllowedAfter.endMs - outage.endedAt} ms` : 'never'} after it ended`,
  );
  for (const type of ['step-up', 'sign-out', 'revocation', 'factor-removal'] as const) {
    const of = events.filter((e) => e.type === type);
    const refusals = of.flatMap((e) => (e.refusedAfterMs === undefined ? [] : [e.refusedAfterMs]));
    const actions = of.flatMap((e) => (e.actionMs === undefined ? [] : [e.actionMs]));
    const webhooks = of.flatMap((e) => (e.webhookMs === undefined ? [] : [e.webhookMs]));
    const others = of.reduce((n, e) => n + (e.othersRefused ?? 0), 0);
    log(
      `  ${type.padEnd(15)} ${of.length}× ${type === 'step-up' ? '' : `the request itself ${ms(actions)}; from its start to the first refusal ${ms(refusals)}`}${webhooks.length ? `; webhook delivered ${ms(webhooks)}` : ''}${type === 'factor-removal' ? `; the users' other verified sessions refused at once: ${others}` : ''}`,
    );
  }
  log(
    `wrong decisions: ${wrong.length}; 5xx: ${serverErrors.length} (${documented.length} the documented 503 during the outage${timeouts.length ? `; ${timeouts.length} 503 ledger_unavailable outside it, slowest ${Math.max(...timeouts.map((o) => o.ms)).toFixed(0)} ms: the ledger's 500 ms deadline on a saturated machine` : ''}); key rotations allowed ${rotationsAllowed}, performed ${rotated}`,
  );
  for (const o of wrong.slice(0, 10))
    log(
      `  WRONG ${o.endpoint} (${((o.startMs - outage.startedAt) / 1000).toFixed(1)} s after the outage began, ${o.ms.toFixed(0)} ms): ${o.wrong}`,
    );
  if (run.remaining > 0)
    failures.push(`only ${outcomes.length} of ${OPTIONS.requests} requests ran within ${OPTIONS.maxSeconds} s`);
  if (wrong.length > 0) failures.push(`${wrong.length} wrong decisions`);
  if (serverErrors.length > documented.length)
    failures.push(`${serverErrors.length - documented.length} responses were 5xx outside the documented outage answer`);
  if (timeouts.length > 0)
    failures.push(
      `${timeouts.length} answers said ledger_unavailable outside the outage (the ledger's 500 ms deadline passed: the machine is saturated)`,
    );
  if (OPTIONS.outageRequests > 0 && documented.length === 0)
    failures.push('the outage produced no 503: it did not reach the app');
  if (rotated !== rotationsAllowed)
    failures.push(`rotations performed (${rotated}) differ from rotations allowed (${rotationsAllowed})`);
  return failures;
}

async function main(): Promise<number> {
  const load = loadavg();
  log(`options ${JSON.stringify(OPTIONS)}`);
  log(
    `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${load.map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`,
  );
  const users = loadUsers(OPTIONS.users);
  const stack = await startStack({
    upstash: { backend: 'redis', ownProcess: true },
    // Off: the run signs the same users in many times a minute, past WorkOS's 10 per 60 s per email (which the emulator models by default).
    workos: { seed: withLoadUsers(await loadSeed(DEFAULT_SEED_PATH), users), rateLimits: 'off' },
    // `npm run demo`'s own build (its callback URL names port 3000), served from a private copy on a free port.
    // Only stderr: the audit's JSON line per decision would tie the server's pace to this process's reading.
    app: { distDir: '.next', buildEnv: withDemoDefaults(process.env), privateCopy: true, output: 'errors' },
    log,
  });
  const failures: string[] = [];
  try {
    const emulator = stack.emulator!;
    const redis = new Redis({
      url: stack.upstash!.url,
      token: stack.upstash!.token,
      automaticDeserialization: false,
      retry: { retries: 0 },
    });
    const target: LoadTarget = {
      baseUrl: stack.appUrl!,
      emulator,
      workos: new WorkOS(emulator.apiKey, {
        apiHostname: '127.0.0.1',
        https: false,
        port: emulator.port,
        clientId: emulator.clientId,
      }),
      ledger: createSessionLedger({ store: upstashStore(redis) }),
      redisUrl: stack.redis!.url,
      cookiePassword: stack.env.WORKOS_COOKIE_PASSWORD!,
    };
    log(
      `demo build ${stack.build}; app ${target.baseUrl}, WorkOS emulator ${emulator.url}, Upstash stand-in ${stack.upstash!.url} (own process), Redis ${target.redisUrl}`,
    );

    const t0 = performance.now();
    const sessions: LoadSession[] = [];
    for (let i = 0; i < OPTIONS.sessions; i += 8)
      sessions.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(8, OPTIONS.sessions - i) }, (_, j) => createSession(target, i + j, users)),
        )),
      );
    await emulator.control.webhooksSettled();
    const counts = Object.fromEntries(KINDS.map((k) => [k, sessions.filter((s) => s.kind === k).length]));
    const failedDeliveries = emulator.control.deliveries().filter((d) => d.status !== 'delivered');
    log(
      `${sessions.length} sessions of ${OPTIONS.users} users in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}; ${emulator.control.deliveries().length} webhooks delivered to the app meanwhile${failedDeliveries.length ? `, ${failedDeliveries.length} NOT` : ''}`,
    );
    if (failedDeliveries.length > 0)
      failures.push(
        `${failedDeliveries.length} webhook deliveries failed while signing in: ${JSON.stringify(failedDeliveries.slice(0, 3).map((d) => [d.event, d.responseStatus, d.error]))}`,
      );

    const rotationsBefore = await rotations(redis);
    const run = await loadPhase(target, stack, sessions);
    failures.push(...run.failures);
    const rotationsAllowed = run.outcomes.filter(
      (o) => o.endpoint === 'POST /api/admin/keys/rotate' && o.status === 200,
    ).length;
    failures.push(...summarize(run, rotationsAllowed, (await rotations(redis)) - rotationsBefore));
    const ledger = await ledgerMatchesModel(target, sessions);
    log(
      `ledger after the run: ${ledger.length === 0 ? 'exactly the entries the model expects' : `${ledger.length} differences`}`,
    );
    failures.push(...ledger.slice(0, 10));

    failures.push(...(await checksAfterLoad(target)));
  } catch (error) {
    failures.push(`run aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    log(`server output (tail):\n${stack.output().slice(-3000)}`);
  } finally {
    await stack.stop();
  }
  log(
    `run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s; load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (failures.length > 0) {
    log(`FAILED:\n  ${failures.join('\n  ')}`);
    return 1;
  }
  log(
    'PASSED: every response matched its session’s decision at that moment; no 5xx but the documented 503s of the outage',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
