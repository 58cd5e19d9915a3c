import { eventRecord, type AuditContext } from '../audit/record';
import { isSafeId } from '../core/ledger-entry';
import type { SessionMfa } from '../session-mfa';
import type { FactorWorkosClient } from './workos-client';

/** Input of {@link deleteFactorAndRevoke}. */
export interface DeleteFactorInput {
  /** A `@workos-inc/node` client (authkit's `getWorkOS()`). */
  readonly workos: FactorWorkosClient;
  readonly sessionMfa: Pick<SessionMfa, 'ledger' | 'now' | 'audit' | 'verificationOf' | 'removeVerification'>;
  /** The signed-in user (`sub` of the verified access token): only their own factor can be deleted. */
  readonly userId: string;
  /** The current session (`sid`): its evidence is always checked, even when listing sessions fails. */
  readonly sessionId: string;
  readonly factorId: string;
  /** Route or action name and request id for the audit records. */
  readonly context: AuditContext;
}

/** Result of {@link deleteFactorAndRevoke}. */
export type DeleteFactorResult =
  | { readonly status: 'not_found' }
  | {
      readonly status: 'deleted';
      /** Sessions whose ledger entry was removed. */
      readonly revoked: readonly string[];
      /** Sessions whose entry should have been removed but the ledger failed: tell the user to sign out. */
      readonly failed: readonly string[];
    };

/**
 * Deletes one of the signed-in user's MFA factors through WorkOS (`multiFactorAuth.deleteFactor`) and then
 * removes the ledger entries that factor proved: every session of the user (listed through WorkOS; at least
 * the current one) whose entry names this `factorId` — or names no factor at all (a webhook or
 * re-authentication entry might have been proven by it; removing it only means stepping up again).
 * Audits `factor.deleted` and one `ledger.removed` per entry.
 *
 * Ownership: the factor must be among `listUserAuthFactors({ userId })`; otherwise `not_found` (whether it
 * exists for someone else is not revealed) and nothing changes.
 * @throws whatever the WorkOS client throws while listing or deleting factors (nothing was deleted then).
 * @example
 * ```ts title="app/api/mfa/factors/[factorId]/route.ts"
 * const result = await deleteFactorAndRevoke({ workos: getWorkOS(), sessionMfa, userId: user.id, sid: sessionId, factorId, context: { target: 'DELETE /api/mfa/factors' } });
 * ```
 */
export async function deleteFactorAndRevoke(input: DeleteFactorInput): Promise<DeleteFactorResult> {
  const { workos, sessionMfa, userId, sessionId: sid, factorId, context } = input;
  if (!isSafeId(factorId) || !isSafeId(userId)) return { status: 'not_found' };
  const factors = await (await workos.multiFactorAuth.listUserAuthFactors({ userId })).autoPagination();
  if (!factors.some((f) => f.id === factorId)) return { status: 'not_found' };
  await workos.multiFactorAuth.deleteFactor(factorId);
  sessionMfa.audit(
    eventRecord({
      type: 'factor.deleted',
      reason: 'user_deleted_factor',
      userId,
      sessionId: sid,
      now: sessionMfa.now(),
      ...context,
      detail: { ...context.detail, factorId },
    }),
  );

  const sids = new Set([sid]);
  try {
    for (const session of await (await workos.userManagement.listSessions(userId)).autoPagination()) {
      if (session.status === 'active' && session.userId === userId) sids.add(session.id);
    }
  } catch {
    // The current session is still checked; other sessions keep their entries until they expire or are revoked.
  }

  const revoked: string[] = [];
  const failed: string[] = [];
  for (const candidate of sids) {
    const found = await sessionMfa.verificationOf({ sessionId: candidate, userId });
    if (found.status === 'unavailable') {
      failed.push(candidate);
      continue;
    }
    if (found.status !== 'found') continue;
    if (found.entry.factorId !== undefined && found.entry.factorId !== factorId) continue;
    try {
      await sessionMfa.removeVerification(
        { sessionId: candidate, userId },
        { ...context, reason: 'factor_deleted', detail: { ...context.detail, factorId } },
      );
      revoked.push(candidate);
    } catch {
      failed.push(candidate);
    }
  }
  return { status: 'deleted', revoked, failed };
}
