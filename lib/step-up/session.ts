import 'server-only';
import { readSessionIdentity } from '../core/claims';
import { currentVerifiedSession } from '../next/current-session';
import type { StepUpSession } from './factor-eligibility';

/** The signed-in session as step-up needs it. */
export interface CurrentStepUpSession {
  /** `sid`, `sub`, `org_id` and `auth_time` of the verified access token. */
  readonly session: StepUpSession;
  /** The verified access-token payload (for claim checks). */
  readonly payload: Record<string, unknown>;
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string | null };
}

/**
 * The current session, read through authkit's `withAuth()` (the middleware verified the token in this
 * request; in tests, the session `withTestSession` runs as), or `null` when signed out. The identity comes from
 * the token's `sid`/`sub`, never from input.
 */
export async function currentStepUpSession(): Promise<CurrentStepUpSession | null> {
  const current = await currentVerifiedSession();
  if (!current) return null;
  const { payload, user } = current;
  const session = readSessionIdentity(payload);
  if (!session || session.userId !== user.id) return null;
  const authTime = typeof payload.auth_time === 'number' ? { authTime: payload.auth_time } : {};
  return { session: { ...session, ...authTime }, payload: { ...payload }, user };
}
