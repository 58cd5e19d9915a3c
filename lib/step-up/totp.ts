import type { AuditContext } from '../audit/record';
import { isSafeId } from '../core/ledger-entry';
import type { EnrollmentFacts } from '../ledger/enrollments';
import type { SessionMfa } from '../session-mfa';
import type { AttemptLimiter, AttemptSubject } from './attempt-limiter';
import { stepUpFailedRecord, unlockedRecord } from './audit';
import { factorStanding, type StepUpSession } from './factor-eligibility';
import { reportUnavailable } from './operational-log';
import { stepUpFailure, type StepUpFailureCode, type StepUpResult } from '../shared/result';
import { normalizedCode } from '../shared/wire';
import type { UsedCodeRegistry } from './used-codes';
import { workosFailure } from './workos-failure';

/** An authentication factor as WorkOS lists it (the fields step-up reads). */
export interface WorkosFactor {
  readonly id: string;
  readonly type: string;
  readonly userId?: string;
  readonly createdAt: string;
  readonly totp?: { readonly issuer: string; readonly user: string };
}

/**
 * The slice of `@workos-inc/node`'s `multiFactorAuth` step-up uses; `getWorkOS().multiFactorAuth` from
 * authkit fits it.
 */
export interface StepUpMfaClient {
  listUserAuthFactors(options: { userId: string }): Promise<{ autoPagination(): Promise<readonly WorkosFactor[]> }>;
  challengeFactor(options: { authenticationFactorId: string }): Promise<{ id: string; authenticationFactorId: string }>;
  verifyChallenge(options: {
    authenticationChallengeId: string;
    code: string;
  }): Promise<{ valid: boolean; challenge: { id: string; authenticationFactorId: string } }>;
}

/** A factor the user can step up with, safe to show in a page. */
export interface StepUpFactor {
  readonly id: string;
  readonly type: 'totp';
  /** Issuer shown in the authenticator app (e.g. the product name). */
  readonly issuer: string;
  /** Account label shown in the authenticator app (usually the email). */
  readonly label: string;
  /** ISO 8601 enrollment time. */
  readonly createdAt: string;
}

/** Options of {@link createTotpStepUp}. */
export interface TotpStepUpOptions {
  /** The engine whose ledger records the verification (and whose audit trail records failures). */
  readonly sessionMfa: SessionMfa;
  /**
   * WorkOS MFA API, or a function returning it (e.g. `() => getWorkOS().multiFactorAuth`). Prefer a client built
   * with `maxRetries: 0`: on a 429 the SDK otherwise sleeps `Retry-After` (up to 60 s) and retries, up to 3 times,
   * before it throws, and the person at the step-up page waits all that time to read "try again in N seconds".
   */
  readonly mfa: StepUpMfaClient | (() => StepUpMfaClient);
  /** Attempt limiting per session and per user (`upstashAttemptLimiter(…)`). */
  readonly limiter: AttemptLimiter;
  /** Replay protection for codes (`upstashUsedCodes(…)`). */
  readonly usedCodes: UsedCodeRegistry;
  /** Name of the step-up in audit records. @default 'step-up:totp' */
  readonly target?: string;
}

/** One TOTP step-up attempt. */
export interface TotpAttempt {
  /**
   * The **verified** session (from authkit's `withAuth()`, see `currentStepUpSession`), with the token's
   * `auth_time` when known. `null` when signed out.
   */
  readonly session: StepUpSession | null;
  readonly factorId: string;
  /** The code as typed; spaces are ignored. */
  readonly code: string;
  /** Correlates audit records with the request. */
  readonly requestId?: string;
}

/** TOTP step-up bound to one engine, WorkOS client and Redis. */
export interface TotpStepUp {
  /**
   * The session user's own TOTP factors that can verify this session (not those enrolled during it before it
   * passed MFA). @throws when WorkOS cannot be reached.
   */
  listFactors(session: StepUpSession): Promise<StepUpFactor[]>;
  /**
   * Verifies a code for one of the session user's factors through WorkOS (challenge, then verify) and, when
   * it is valid, records the session's verification in the ledger. Never throws: every outcome is a
   * {@link StepUpResult}; on any failure nothing changes.
   */
  verify(attempt: TotpAttempt): Promise<StepUpResult>;
  /**
   * Support's unlock: forgets the failed attempts counted against `userId` and against each of `sessionIds` (pass
   * the user's active sessions, e.g. from WorkOS `listSessions`), so the user can step up again at once. Audited
   * as `step_up.unlocked` naming who unlocked (`by`). Decide who may call it (e.g. an organization admin)
   * before calling. @throws when the limiter's store fails (nothing may have been reset).
   */
  unlock(input: {
    readonly userId: string;
    readonly sessionIds?: readonly string[];
    readonly by: string;
    readonly organizationId?: string;
    readonly context: AuditContext;
  }): Promise<void>;
}

function toStepUpFactor(factor: WorkosFactor): StepUpFactor {
  return {
    id: factor.id,
    type: 'totp',
    issuer: factor.totp?.issuer ?? 'Authenticator',
    label: factor.totp?.user ?? '',
    createdAt: factor.createdAt,
  };
}

/**
 * Creates the TOTP step-up. Order of checks, each refusing with nothing changed: input shape → attempt limits
 * (session, then user; counted before WorkOS is asked, so parallel guesses are bounded) → the factor is the
 * user's own TOTP factor → its enrollment qualifies (a factor the app enrolled was confirmed; any factor predates
 * the session, or the session already proved MFA: a factor enrolled inside an unverified session proves nothing;
 * see `createFactorEnrollment`) → the code was not used before → WorkOS challenge + verify → the code is marked used
 * (`SET NX`, so of two racing requests only one wins) → ledger write (its failure is a failed step-up).
 * A successful attempt is refunded, so only failures count toward the limit.
 *
 * @example
 * ```ts title="mfa-step-up.ts"
 * export const totpStepUp = createTotpStepUp({
 *   sessionMfa,
 *   mfa: () => getWorkOS().multiFactorAuth,
 *   limiter: upstashAttemptLimiter({ redis }),
 *   usedCodes: upstashUsedCodes({ redis }),
 * });
 * ```
 */
export function createTotpStepUp(options: TotpStepUpOptions): TotpStepUp {
  const { sessionMfa, limiter, usedCodes } = options;
  const target = options.target ?? 'step-up:totp';
  const mfa = (): StepUpMfaClient => (typeof options.mfa === 'function' ? options.mfa() : options.mfa);

  async function ownTotpFactors(userId: string): Promise<WorkosFactor[]> {
    const list = await mfa().listUserAuthFactors({ userId });
    const factors = await list.autoPagination();
    // The list is per user already; the userId check guards against a confused or compromised upstream.
    return factors.filter((f) => f.type === 'totp' && (f.userId === undefined || f.userId === userId));
  }

  /** Whether this session already holds its own ledger evidence (then any of the user's factors may be used). */
  async function sessionProvedMfa(session: StepUpSession): Promise<boolean> {
    return (
      (await sessionMfa.verificationOf({ sessionId: session.sessionId, userId: session.userId })).status === 'found'
    );
  }

  /** How the app enrolled these factors (none known without a ledger). @throws when the records cannot be read. */
  function enrollmentFacts(userId: string, factors: readonly WorkosFactor[]): Promise<EnrollmentFacts> {
    const records = sessionMfa.ledger?.enrollments;
    return records
      ? records.read(
          userId,
          factors.map((f) => f.id),
        )
      : Promise.resolve({ since: null, records: new Map() });
  }

  async function attempt(
    input: TotpAttempt,
    fail: (code: StepUpFailureCode, retryAfter?: number) => StepUpResult,
  ): Promise<StepUpResult> {
    const { session } = input;
    if (!session) return fail('not_signed_in');
    const code = normalizedCode(input.code);
    if (code === null || !isSafeId(input.factorId)) return fail('invalid_input');

    const subjects: AttemptSubject[] = [
      { kind: 'session', id: session.sessionId },
      { kind: 'user', id: session.userId },
    ];
    try {
      const verdict = await limiter.consume(subjects);
      if (!verdict.allowed) return fail('rate_limited', verdict.retryAfterSeconds);
    } catch (error) {
      reportUnavailable('attempt limiter', error);
      return fail('unavailable');
    }

    let factor: WorkosFactor | undefined;
    try {
      factor = (await ownTotpFactors(session.userId)).find((f) => f.id === input.factorId);
    } catch (error) {
      const failure = workosFailure(error);
      if (failure.code === 'unavailable') reportUnavailable('WorkOS factor list', error);
      return fail(failure.code, failure.retryAfterSeconds);
    }
    if (!factor) return fail('unknown_factor');
    let standing;
    try {
      const [facts, proved] = await Promise.all([enrollmentFacts(session.userId, [factor]), sessionProvedMfa(session)]);
      standing = factorStanding(factor, session, proved, facts);
      if (standing === 'eligible' && (await usedCodes.wasUsed(input.factorId, code))) return fail('code_reused');
    } catch (error) {
      reportUnavailable('enrollment records or used codes', error);
      return fail('unavailable');
    }
    if (standing === 'unconfirmed') return fail('factor_unconfirmed');
    if (standing === 'too_new') return fail('factor_too_new');

    let challengeId: string;
    try {
      const challenge = await mfa().challengeFactor({ authenticationFactorId: input.factorId });
      if (challenge.authenticationFactorId !== input.factorId) return fail('challenge_rejected');
      const verified = await mfa().verifyChallenge({ authenticationChallengeId: challenge.id, code });
      if (verified.challenge.id !== challenge.id || verified.challenge.authenticationFactorId !== input.factorId)
        return fail('challenge_rejected');
      if (!verified.valid) return fail('invalid_code');
      challengeId = challenge.id;
    } catch (error) {
      const failure = workosFailure(error);
      if (failure.code === 'unavailable') reportUnavailable('WorkOS challenge', error);
      return fail(failure.code, failure.retryAfterSeconds);
    }

    try {
      if (!(await usedCodes.markUsed(input.factorId, code))) return fail('code_reused');
    } catch (error) {
      reportUnavailable('used codes', error);
      return fail('unavailable');
    }

    const verifiedAt = sessionMfa.now();
    try {
      await sessionMfa.recordVerification(
        {
          sessionId: session.sessionId,
          userId: session.userId,
          ...(session.organizationId ? { organizationId: session.organizationId } : {}),
          verifiedAt,
          methods: ['otp'],
          factorId: input.factorId,
          challengeId,
          source: 'step_up',
        },
        { target, reason: 'step_up_totp', ...(input.requestId ? { requestId: input.requestId } : {}) },
      );
    } catch (error) {
      reportUnavailable('ledger', error);
      return fail('ledger_unavailable');
    }
    await limiter.refund(subjects).catch(() => undefined);
    return { ok: true, verifiedAt, factorId: input.factorId };
  }

  return {
    async listFactors(session) {
      const [factors, proved] = await Promise.all([ownTotpFactors(session.userId), sessionProvedMfa(session)]);
      const facts = await enrollmentFacts(session.userId, factors);
      return factors.filter((f) => factorStanding(f, session, proved, facts) === 'eligible').map(toStepUpFactor);
    },
    async verify(input) {
      return attempt(input, (code, retryAfter) => {
        sessionMfa.audit(
          stepUpFailedRecord({
            session: input.session,
            reason: code,
            target,
            now: sessionMfa.now(),
            ...(input.requestId ? { requestId: input.requestId } : {}),
            ...(isSafeId(input.factorId) ? { factorId: input.factorId } : {}),
          }),
        );
        return stepUpFailure(code, retryAfter);
      });
    },
    async unlock({ userId, sessionIds = [], by, organizationId: orgId, context }) {
      if (!isSafeId(userId) || !isSafeId(by) || !sessionIds.every(isSafeId))
        throw new TypeError('unlock: userId, by and sessionIds must be WorkOS ids.');
      await limiter.reset([
        { kind: 'user', id: userId },
        ...sessionIds.map((id): AttemptSubject => ({ kind: 'session', id })),
      ]);
      sessionMfa.audit(
        unlockedRecord({
          userId,
          by,
          sessions: sessionIds.length,
          now: sessionMfa.now(),
          context,
          ...(orgId ? { organizationId: orgId } : {}),
        }),
      );
    },
  };
}
