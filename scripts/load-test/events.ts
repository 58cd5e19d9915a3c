/**
 * What happens to sessions while the load runs: a step-up through the real step-up form, a sign-out through
 * `/logout`, a revocation at WorkOS (the app learns it from the `session.revoked` webhook), and a factor removal
 * through `DELETE /api/mfa/factors/:id` (which removes the evidence of every session of the user). Each takes its
 * sessions aside while it runs, measures how long until the app refuses the session, and leaves the model of
 * the session as the app must now see it.
 */
import { formsWith, hiddenInputs } from './browser';
import type { LoadSession } from './model';
import { signOutKeepingCookie, tokenClaims, type Ledger, type LoadTarget } from './sessions';

export type EventType = 'step-up' | 'sign-out' | 'revocation' | 'factor-removal';

/** What one event did and how fast the app followed. */
export interface EventResult {
  readonly type: EventType;
  /** The session it was done with (index). */
  readonly session: number;
  /** How long the action itself took (the logout, revoke or delete request), ms. */
  readonly actionMs?: number;
  /** From the start of the action to the first refused request of the session, ms. */
  readonly refusedAfterMs?: number;
  /** Requests of the session still allowed in between (the webhook on its way). */
  readonly allowedBefore?: number;
  /** For a revocation: when the emulator's `session.revoked` delivery completed, ms after the revoke call. */
  readonly webhookMs?: number;
  /** For a factor removal: the user's other sessions that lost their evidence, all refused at once. */
  readonly othersRefused?: number;
  readonly problems: readonly string[];
}

const REFUSAL_TIMEOUT_MS = 15_000;

async function report(target: LoadTarget, s: LoadSession): Promise<{ status: number; reason: unknown }> {
  const res = await fetch(`${target.baseUrl}/api/admin/report`, {
    headers: { accept: 'application/json', cookie: s.session.jar.header() ?? '' },
    redirect: 'manual',
  });
  const body = (await res.json().catch(() => null)) as { reason?: unknown } | null;
  if (s.takesCookies) s.session.jar.take(res);
  return { status: res.status, reason: body?.reason };
}

/**
 * Asks `GET /api/admin/report` as `s` until it is refused for lack of evidence (403 `no_evidence`), counting the
 * answers that still allowed it; `startedAt` is `performance.now()` of the action. `immediate`: the app removed
 * the evidence before it answered the action (sign-out, factor removal), so the very first answer must refuse.
 */
async function firstRefusal(
  target: LoadTarget,
  s: LoadSession,
  startedAt: number,
  immediate: boolean,
): Promise<{ ms: number; allowedBefore: number; problem: string | null }> {
  let allowedBefore = 0;
  for (;;) {
    const { status, reason } = await report(target, s);
    const ms = performance.now() - startedAt;
    if (status === 403 && reason === 'no_evidence') return { ms, allowedBefore, problem: null };
    if (status !== 200)
      return {
        ms,
        allowedBefore,
        problem: `session ${s.index}: expected 200 or 403 no_evidence while the revocation lands, got ${status} ${String(reason)}`,
      };
    if (immediate)
      return {
        ms,
        allowedBefore: 1,
        problem: `session ${s.index}: still allowed after the app answered the revocation`,
      };
    allowedBefore++;
    if (ms > REFUSAL_TIMEOUT_MS)
      return {
        ms,
        allowedBefore,
        problem: `session ${s.index}: still allowed ${REFUSAL_TIMEOUT_MS / 1000} s after the revocation`,
      };
  }
}

function ownEntry(lookup: Awaited<ReturnType<Ledger['lookup']>>, s: LoadSession): number | null {
  return lookup.status === 'found' &&
    lookup.entry.sessionId === s.session.sid &&
    lookup.entry.userId === s.session.userId
    ? lookup.entry.verifiedAt
    : null;
}

/**
 * A step-up through the demo's step-up page as a browser without JavaScript posts it: the form with the code
 * field, its hidden fields, the user's current TOTP code; sent back to `/admin`.
 */
export async function stepUp(target: LoadTarget, s: LoadSession): Promise<EventResult> {
  const problems: string[] = [];
  const headers = { cookie: s.session.jar.header() ?? '', accept: 'text/html' };
  const pageUrl = `${target.baseUrl}/step-up?return_to=%2Fadmin`;
  const page = await fetch(pageUrl, { headers });
  const [form] = formsWith(await page.text(), 'name="code"');
  if (page.status !== 200 || !form)
    return {
      type: 'step-up',
      session: s.index,
      problems: [`session ${s.index}: the step-up page answered ${page.status} without a code form`],
    };
  const code = target.emulator.control.users().find((u) => u.id === s.user.id)?.totpFactors[0]?.codeNow ?? '';
  const body = new FormData();
  for (const [name, value] of hiddenInputs(form)) body.append(name, value);
  body.append('code', code);
  // A form with its own action (a route) posts there; a server-action form posts to the page.
  const action = /^<form[^>]*\saction="(\/[^"]*)"/.exec(form)?.[1];
  const res = await fetch(action ? new URL(action, target.baseUrl) : pageUrl, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { ...headers, origin: target.baseUrl },
  });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  const back = location ? new URL(location, target.baseUrl) : null;
  if (![302, 303, 307].includes(res.status) || back?.pathname !== '/admin' || back.searchParams.has('error'))
    problems.push(`session ${s.index}: the step-up did not verify (${res.status} ${location ?? ''})`);
  const verifiedAt = ownEntry(await target.ledger.lookup(s.session.sid!), s);
  if (verifiedAt === null) problems.push(`session ${s.index}: no ledger entry of its own after the step-up`);
  else s.state = { auth: 'live', evidence: { verifiedAt } };
  return { type: 'step-up', session: s.index, problems };
}

/** Sign-out through `/logout` (which removes the entry, then ends the WorkOS session); the old cookie is replayed after. */
export async function signOut(target: LoadTarget, s: LoadSession): Promise<EventResult> {
  const startedAt = performance.now();
  s.session = await signOutKeepingCookie(target, s.session);
  const actionMs = performance.now() - startedAt;
  s.takesCookies = false;
  const refusal = await firstRefusal(target, s, startedAt, true);
  s.state = { auth: 'ended', tokenExp: (await tokenClaims(target, s.session.jar)).exp, evidence: null };
  return {
    type: 'sign-out',
    session: s.index,
    actionMs,
    refusedAfterMs: refusal.ms,
    allowedBefore: refusal.allowedBefore,
    problems: refusal.problem ? [refusal.problem] : [],
  };
}

/** Revocation at WorkOS (`userManagement.revokeSession`): the app learns it only from the `session.revoked` webhook. */
export async function revoke(target: LoadTarget, s: LoadSession): Promise<EventResult> {
  const sid = s.session.sid!;
  const startedAt = performance.now();
  const revokedAt = Date.now();
  await target.workos.userManagement.revokeSession({ sessionId: sid });
  const actionMs = performance.now() - startedAt;
  s.takesCookies = false; // an attacker's copy: the cookie authkit would delete is replayed as it was
  const refusal = await firstRefusal(target, s, startedAt, false);
  await target.emulator.control.webhooksSettled(); // the app answered; the emulator may not have read the answer yet
  const delivery = target.emulator.control
    .deliveries()
    .find((d) => d.event === 'session.revoked' && (d.payload.data as { id?: string } | undefined)?.id === sid);
  const problems = refusal.problem ? [refusal.problem] : [];
  if (delivery?.status !== 'delivered')
    problems.push(
      `session ${s.index}: the session.revoked webhook was not delivered (${delivery?.status ?? 'none sent'})`,
    );
  s.state = { auth: 'ended', tokenExp: (await tokenClaims(target, s.session.jar)).exp, evidence: null };
  return {
    type: 'revocation',
    session: s.index,
    actionMs,
    refusedAfterMs: refusal.ms,
    allowedBefore: refusal.allowedBefore,
    ...(delivery?.completedAt ? { webhookMs: Date.parse(delivery.completedAt) - revokedAt } : {}),
    problems,
  };
}

/**
 * The user deletes their TOTP factor from session `s` (which needs MFA within 10 minutes); `others` are the
 * user's other sessions, held aside meanwhile. Every one of them with an entry of its own must be refused after.
 */
export async function removeFactor(
  target: LoadTarget,
  s: LoadSession,
  others: readonly LoadSession[],
): Promise<EventResult> {
  const problems: string[] = [];
  const startedAt = performance.now();
  const res = await fetch(`${target.baseUrl}/api/mfa/factors/${s.user.factorId}`, {
    method: 'DELETE',
    headers: { accept: 'application/json', cookie: s.session.jar.header() ?? '', origin: target.baseUrl },
    redirect: 'manual',
  });
  if (s.takesCookies) s.session.jar.take(res);
  const actionMs = performance.now() - startedAt;
  if (res.status !== 204)
    problems.push(`session ${s.index}: DELETE /api/mfa/factors answered ${res.status} ${await res.text()}`);
  const refusal = await firstRefusal(target, s, startedAt, true);
  if (refusal.problem) problems.push(refusal.problem);
  s.state = { auth: 'live', evidence: null };
  let othersRefused = 0;
  for (const other of others) {
    if (other.state.auth !== 'live' || other.state.evidence === null || other.state.evidence === 'foreign') continue;
    const { status, reason } = await report(target, other);
    if (status === 403 && reason === 'no_evidence') othersRefused++;
    else
      problems.push(
        `session ${other.index} of the same user: ${status} ${String(reason)} after the factor was removed`,
      );
    other.state = { auth: 'live', evidence: null };
  }
  return {
    type: 'factor-removal',
    session: s.index,
    actionMs,
    refusedAfterMs: refusal.ms,
    allowedBefore: refusal.allowedBefore,
    othersRefused,
    problems,
  };
}
