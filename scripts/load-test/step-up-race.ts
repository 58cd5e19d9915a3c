/**
 * Concurrent step-ups through the demo's real step-up form (posted to its route like a browser without JavaScript): several
 * sessions of one user submit the same valid TOTP code at once, with a hostile `return_to`. Exactly one may win,
 * its redirect must stay on the origin, and exactly that session must end up with one well-formed ledger entry.
 */
import type { LedgerEntry } from 'authkit-session-mfa';
import { formsWith, hiddenInputs } from './browser';
import type { LoadTarget, Session } from './sessions';

export interface RaceResult {
  readonly attempts: number;
  readonly successes: number;
  /** Failure codes the route sent the page (`error=`), counted. */
  readonly refusals: Record<string, number>;
  /** Where the winner was sent. */
  readonly locations: string[];
  /** The ledger entry of each racing session (null when none). */
  readonly entries: Array<LedgerEntry | null | 'malformed'>;
  readonly problems: string[];
}

const HOSTILE_RETURN_TO = '/..//evil.example';

/** The code form of the step-up page: where it posts, and its hidden fields. */
async function codeForm(
  target: LoadTarget,
  session: Session,
): Promise<{ action: string; fields: Array<[string, string]> }> {
  const res = await fetch(`${target.baseUrl}/step-up?return_to=%2Fadmin`, {
    headers: { cookie: session.jar.header() ?? '', accept: 'text/html' },
  });
  const [form] = formsWith(await res.text(), 'name="code"');
  const action = form && /action="([^"]+)"/.exec(form)?.[1];
  if (res.status !== 200 || !form || !action)
    throw new Error(`the step-up page answered ${res.status} without a code form`);
  return { action: new URL(action, target.baseUrl).href, fields: hiddenInputs(form) };
}

/** The failure a refused no-JavaScript attempt was sent back with (`/step-up?…&error=<code>`), or `null` for a success. */
function failureOf(target: LoadTarget, location: string): string | null {
  const sentTo = new URL(location, target.baseUrl);
  return sentTo.pathname === '/step-up' ? sentTo.searchParams.get('error') : null;
}

/** The session's ledger entry as the app reads it (`'malformed'` when unreadable). */
async function entryOf(target: LoadTarget, sid: string | null): Promise<LedgerEntry | null | 'malformed'> {
  const found = await target.ledger.lookup(sid ?? '');
  return found.status === 'found' ? found.entry : found.status === 'missing' ? null : 'malformed';
}

/** Races `perSession` submissions of `code` from each of `sessions` (all of one user), all at once. */
export async function stepUpRace(
  target: LoadTarget,
  sessions: readonly Session[],
  perSession: number,
  code: string,
): Promise<RaceResult> {
  const forms = await Promise.all(sessions.map((s) => codeForm(target, s)));
  const posts = sessions.flatMap((session, i) =>
    Array.from({ length: perSession }, () => {
      const form = new FormData();
      for (const [name, value] of forms[i]!.fields) form.append(name, name === 'return_to' ? HOSTILE_RETURN_TO : value);
      form.append('code', code);
      return fetch(forms[i]!.action, {
        method: 'POST',
        body: form,
        redirect: 'manual',
        headers: { cookie: session.jar.header() ?? '', origin: target.baseUrl, accept: 'text/html' },
      });
    }),
  );
  const responses = await Promise.all(posts);
  const problems: string[] = [];
  const refusals: Record<string, number> = {};
  const locations: string[] = [];
  let successes = 0;
  for (const res of responses) {
    const body = await res.text();
    if (res.status >= 500) problems.push(`step-up POST answered ${res.status}`);
    const location = res.headers.get('location') ?? '';
    const failure = res.status === 303 ? failureOf(target, location) : `status ${res.status}`;
    if (failure === null) {
      successes++;
      locations.push(location);
      const sentTo = new URL(location, target.baseUrl);
      if (sentTo.origin !== target.baseUrl || /^\/[/\\]/.test(sentTo.pathname))
        problems.push(`step-up redirected off the origin: ${location}`);
    } else {
      refusals[failure] = (refusals[failure] ?? 0) + 1;
      if (body.length > 0)
        problems.push(`a refused no-JavaScript attempt answered with a body instead of a redirect (${res.status})`);
    }
  }

  const entries: RaceResult['entries'] = [];
  for (const s of sessions) entries.push(await entryOf(target, s.sid));
  if (successes !== 1) problems.push(`expected exactly one successful step-up, got ${successes}`);
  const withEntry = entries.filter((e) => e !== null);
  if (withEntry.length !== successes)
    problems.push(`expected ${successes} ledger entr${successes === 1 ? 'y' : 'ies'}, found ${withEntry.length}`);
  entries.forEach((e, i) => {
    if (e === 'malformed') problems.push(`session ${i}: malformed ledger entry`);
    else if (e && (e.sessionId !== sessions[i]!.sid || e.userId !== sessions[i]!.userId || e.source !== 'step_up'))
      problems.push(`session ${i}: entry not bound to the session: ${JSON.stringify(e)}`);
  });
  return { attempts: responses.length, successes, refusals, locations, entries, problems };
}

/**
 * A right code submitted to the step-up form from another origin (a cross-site form post riding the cookie):
 * it must not verify the session. Returns what went wrong, if anything.
 */
export async function crossOriginStepUp(
  target: LoadTarget,
  session: Session,
  code: string,
): Promise<{ status: number; problems: string[] }> {
  const { action, fields } = await codeForm(target, session);
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  form.append('code', code);
  const res = await fetch(action, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: session.jar.header() ?? '', origin: 'https://evil.example', accept: 'text/html' },
  });
  await res.text();
  const problems: string[] = [];
  if (res.status !== 403) problems.push(`cross-origin step-up was not refused with 403 (${res.status})`);
  if ((await entryOf(target, session.sid)) !== null) problems.push('cross-origin step-up wrote a ledger entry');
  return { status: res.status, problems };
}

/**
 * The step-up form posted with extra identity fields naming another session (`sid`, `session_id`, `user_id`):
 * the identity must come from the verified session only, so the victim's session gets nothing.
 */
export async function forgedIdentityStepUp(
  target: LoadTarget,
  session: Session,
  victim: Session,
  code: string,
): Promise<{ status: number; problems: string[] }> {
  const { action, fields } = await codeForm(target, session);
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  for (const [name, value] of [
    ['sid', victim.sid],
    ['session_id', victim.sid],
    ['sessionId', victim.sid],
    ['user_id', victim.userId],
    ['userId', victim.userId],
  ] as const)
    form.append(name, value ?? '');
  form.append('code', code);
  const res = await fetch(action, {
    method: 'POST',
    body: form,
    redirect: 'manual',
    headers: { cookie: session.jar.header() ?? '', origin: target.baseUrl, accept: 'text/html' },
  });
  await res.text();
  const problems: string[] = [];
  if ((await entryOf(target, victim.sid)) !== null)
    problems.push("forged identity fields gave the victim's session an entry");
  const entry = await entryOf(target, session.sid);
  const own =
    entry !== null && entry !== 'malformed' && entry.sessionId === session.sid && entry.userId === session.userId;
  if (res.status === 303 && !own) problems.push('the step-up did not record the poster’s own session');
  return { status: res.status, problems };
}
