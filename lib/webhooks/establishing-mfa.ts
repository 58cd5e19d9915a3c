/**
 * When an `authentication.mfa_succeeded` event counts as the MFA that *established* the session it names.
 *
 * A session's establishing MFA is the TOTP step of its own sign-in: the MFA happens, then the sign-in completes
 * and WorkOS creates the session. An MFA at any other time — a step-up in another session of the same user, an
 * earlier or later sign-in — proves nothing about the named session, whatever the event says.
 */

/**
 * How closely an event's time must match the named session's creation for the event to grant it.
 * All values in milliseconds.
 */
export interface EstablishingWindow {
  /**
   * How long before the session's creation its MFA may have happened: the sign-in's MFA step comes first, then
   * the redirect back to the app, whose code exchange creates the session.
   */
  readonly beforeMs: number;
  /** How long after the session's creation the event may be stamped (the order in which WorkOS writes both). */
  readonly afterMs: number;
  /**
   * How long after the session's creation a delivery may still grant. A later one (a retry after an outage, a
   * replay) is recorded and grants nothing: the session can step up instead.
   */
  readonly arrivalMs: number;
}

/**
 * The default window: the MFA up to 30 s before the session's creation, stamped at most 2 s after it, delivered
 * within 5 min of it. A person completes the redirect after the TOTP step in seconds; another session's MFA
 * (a step-up later on, a second sign-in) falls outside. Rationale in `docs/security.md`.
 */
export const DEFAULT_ESTABLISHING_WINDOW: EstablishingWindow = { beforeMs: 30_000, afterMs: 2_000, arrivalMs: 300_000 };

/** Largest values accepted for each bound (the authorization code lives 10 min; WorkOS stamps both in one system). */
export const MAX_ESTABLISHING_WINDOW: EstablishingWindow = { beforeMs: 600_000, afterMs: 60_000, arrivalMs: 3_600_000 };

/** Why an event is not the named session's establishing MFA. */
export type NotEstablishingReason =
  /** The session's creation time is unknown (not in WorkOS's answer, not a ULID id): nothing to compare with. */
  | 'session_start_unknown'
  /** The MFA happened more than `beforeMs` before the session began: it belongs to an earlier authentication. */
  | 'mfa_before_session'
  /** The MFA happened more than `afterMs` after the session began: it was not this session's sign-in. */
  | 'mfa_after_session_start'
  /** The delivery arrived more than `arrivalMs` after the session began. */
  | 'delivered_late';

/**
 * Decides whether an MFA event at `eventMs` establishes a session created at `sessionCreatedMs`, given that the
 * delivery arrives at `receivedMs`. Pure; every non-finite input fails closed.
 * @returns `null` when it does, else the reason it does not.
 */
export function notEstablishingReason(input: {
  eventMs: number;
  sessionCreatedMs: number | null;
  receivedMs: number;
  window: EstablishingWindow;
}): NotEstablishingReason | null {
  const { eventMs, sessionCreatedMs, receivedMs, window } = input;
  if (
    sessionCreatedMs === null ||
    !Number.isFinite(sessionCreatedMs) ||
    !Number.isFinite(eventMs) ||
    !Number.isFinite(receivedMs)
  )
    return 'session_start_unknown';
  if (eventMs < sessionCreatedMs - window.beforeMs) return 'mfa_before_session';
  if (eventMs > sessionCreatedMs + window.afterMs) return 'mfa_after_session_start';
  if (receivedMs > sessionCreatedMs + window.arrivalMs) return 'delivered_late';
  return null;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SESSION_ULID = /^session_([0-7][0-9A-HJKMNP-TV-Z]{9})[0-9A-HJKMNP-TV-Z]{16}$/;

/**
 * The creation time WorkOS encodes in a session id: `session_<ULID>`, whose first 10 characters are the
 * milliseconds since the epoch (Crockford base32). `null` for anything else — then the time is unknown.
 */
export function sessionIdTimeMs(sid: string): number | null {
  const time = SESSION_ULID.exec(sid)?.[1];
  if (time === undefined) return null;
  let ms = 0;
  for (const c of time) ms = ms * 32 + CROCKFORD.indexOf(c);
  return ms;
}
