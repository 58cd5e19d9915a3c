/**
 * Which factors may step a session up. A factor enrolled inside a session that had not passed MFA proves
 * nothing about that session (whoever holds only the password could have enrolled it), so it counts only
 * when it predates the session, or when the session has already proven MFA some other way. A factor the app
 * enrolled counts only once its enrollment was confirmed (`EnrollmentRecord`); one created after the app began
 * enrolling for the user but without a record of its own is a leftover of a failed enrollment and never counts.
 */
import { MAX_EPOCH_SECONDS } from '../core/epoch';
import type { SessionIdentity } from '../core/claims';
import type { EnrollmentFacts } from '../ledger/enrollments';

/** The session as step-up sees it: the verified token's identity and, when known, its `auth_time`. */
export interface StepUpSession extends SessionIdentity {
  /** `auth_time` of the verified access token (epoch seconds): when this session's sign-in happened. */
  readonly authTime?: number;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** WorkOS ids are ULIDs minted from 2015 on; an earlier time in one is not a creation time. */
const MIN_ID_EPOCH_MS = Date.UTC(2015, 0, 1);

/** Creation time (epoch seconds) encoded in a WorkOS id (`session_<ULID>`), or `null` when it holds none. */
export function idTimestamp(id: string): number | null {
  const body = id.slice(id.lastIndexOf('_') + 1).toUpperCase();
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(body)) return null;
  let ms = 0;
  for (const char of body.slice(0, 10)) ms = ms * 32 + CROCKFORD.indexOf(char);
  return ms < MIN_ID_EPOCH_MS || ms > MAX_EPOCH_SECONDS * 1000 ? null : Math.floor(ms / 1000);
}

/**
 * When the session began: its token's `auth_time`, else the time in its ULID session id; `null` when neither
 * is known (then no factor can be shown to predate it).
 */
export function sessionStartedAt(session: StepUpSession): number | null {
  if (typeof session.authTime === 'number' && Number.isFinite(session.authTime) && session.authTime > 0)
    return session.authTime;
  return idTimestamp(session.sessionId);
}

/**
 * `true` when a factor created at `createdAt` (ISO 8601, WorkOS's clock) may verify the session: it was
 * enrolled before the session began, or the session has already proven MFA (`sessionProvedMfa`: its own
 * ledger entry exists), so whoever enrolled the factor had passed MFA. Fails closed on unreadable times.
 */
export function isEligibleFactor(createdAt: string, session: StepUpSession, sessionProvedMfa: boolean): boolean {
  if (sessionProvedMfa) return true;
  const created = Date.parse(createdAt);
  const started = sessionStartedAt(session);
  return Number.isFinite(created) && started !== null && created / 1000 < started;
}

/**
 * How far WorkOS's clock (a factor's `createdAt`) may trail the app's (the enrollment mark): a factor created up
 * to this long before the mark still counts as created after it. Seconds.
 */
export const ENROLLMENT_CLOCK_SKEW_SECONDS = 600;

/** Whether a factor may verify a session: `eligible`, `too_new` (enrolled in it before it passed MFA) or `unconfirmed`. */
export type FactorStanding = 'eligible' | 'too_new' | 'unconfirmed';

/**
 * The standing of one of the user's factors for `session`, from its WorkOS `createdAt` and the app's enrollment
 * facts. Pending, unreadable and leftover factors are `unconfirmed` in every session, whatever it proved; a
 * confirmed one counts in sessions other than the one that enrolled it when it predates them, or once the
 * session proved MFA; a factor enrolled elsewhere (no record, created before the app's mark) as before.
 */
export function factorStanding(
  factor: { readonly id: string; readonly createdAt: string },
  session: StepUpSession,
  sessionProvedMfa: boolean,
  facts: EnrollmentFacts,
): FactorStanding {
  const record = facts.records.get(factor.id);
  if (record === 'malformed' || record?.status === 'pending') return 'unconfirmed';
  if (record === undefined && facts.since !== null) {
    const created = Date.parse(factor.createdAt);
    if (!Number.isFinite(created) || created / 1000 >= facts.since - ENROLLMENT_CLOCK_SKEW_SECONDS)
      return 'unconfirmed';
  }
  if (sessionProvedMfa) return 'eligible';
  if (record !== undefined && record.sessionId === session.sessionId) return 'too_new';
  return isEligibleFactor(factor.createdAt, session, false) ? 'eligible' : 'too_new';
}
