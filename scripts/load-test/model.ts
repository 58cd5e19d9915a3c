/** The load run's sessions: each one's browser state and what the app should think of it right now. */
import type { SessionKind, SessionState } from './expectations';
import type { Schedulable } from './scheduler';
import type { LoadUser } from './seed';
import type { Session } from './sessions';

/** One session of the run. */
export interface LoadSession extends Schedulable {
  readonly index: number;
  /** How it started out. */
  readonly kind: SessionKind;
  /** Whose credentials it was made with. */
  readonly user: LoadUser;
  session: Session;
  /** Changed only by events, while the session is locked. */
  state: SessionState;
  /** Keeps authkit's refreshed cookies, as a browser does; a replayed, forged or absent cookie is sent as it is. */
  takesCookies: boolean;
}

/** `true` when the session is signed in and its own ledger entry passes a policy of `maxAge` with `marginSeconds` to spare. */
export function freshFor(s: LoadSession, nowSeconds: number, maxAge: number, marginSeconds: number): boolean {
  return (
    s.state.auth === 'live' &&
    typeof s.state.evidence === 'object' &&
    s.state.evidence !== null &&
    nowSeconds - s.state.evidence.verifiedAt < maxAge - marginSeconds
  );
}
