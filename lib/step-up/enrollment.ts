import { decodeJwt } from 'jose';
import type { AuditContext } from '../audit/record';
import { eventRecord } from '../audit/record';
import { parseDuration, type Duration } from '../core/duration';
import { MfaConfigError } from '../core/errors';
import { isSafeId } from '../core/ledger-entry';
import { mfaPreset, type MfaPolicy } from '../core/policy';
import type { EnrollmentProof, EnrollmentRecord, FactorEnrollmentRecords } from '../ledger/enrollments';
import type { SessionMfa } from '../session-mfa';
import { normalizedCode } from '../shared/wire';
import type { AttemptLimiter, AttemptSubject } from './attempt-limiter';
import { factorStanding } from './factor-eligibility';
import { reportUnavailable } from './operational-log';
import type { CurrentStepUpSession } from './session';
import type { WorkosFactor } from './totp';

/**
 * The slice of a `@workos-inc/node` `WorkOS` client that enrollment uses (authkit's `getWorkOS()` fits).
 * Prefer a client with `maxRetries: 0`, as for the step-up: a person waits on every call.
 */
export interface EnrollmentWorkosClient {
  readonly multiFactorAuth: {
    listUserAuthFactors(options: { userId: string }): Promise<{ autoPagination(): Promise<readonly WorkosFactor[]> }>;
    createUserAuthFactor(options: { userId: string; type: 'totp'; totpIssuer?: string; totpUser?: string }): Promise<{
      authenticationFactor: {
        readonly id: string;
        readonly totp?: {
          readonly issuer: string;
          readonly user: string;
          readonly secret: string;
          readonly qrCode: string;
          readonly uri: string;
        };
      };
    }>;
    challengeFactor(options: {
      authenticationFactorId: string;
    }): Promise<{ id: string; authenticationFactorId: string }>;
    verifyChallenge(options: {
      authenticationChallengeId: string;
      code: string;
    }): Promise<{ valid: boolean; challenge: { id: string; authenticationFactorId: string } }>;
    deleteFactor(id: string): Promise<void>;
  };
  readonly userManagement: {
    getUser(userId: string): Promise<{ readonly id: string; readonly email: string }>;
    createMagicAuth(options: { email: string }): Promise<unknown>;
    authenticateWithMagicAuth(options: {
      clientId: string;
      email: string;
      code: string;
      ipAddress?: string;
      userAgent?: string;
    }): Promise<{ readonly user: { readonly id: string }; readonly accessToken: string }>;
    revokeSession(options: { sessionId: string }): Promise<void>;
  };
}

/** Options of {@link createFactorEnrollment}. */
export interface FactorEnrollmentOptions {
  /** The server engine: its ledger keeps the enrollment records the step-up reads; its `decide` checks fresh MFA. */
  readonly sessionMfa: SessionMfa;
  /** WorkOS client, or a function returning it (`() => getWorkOS()`). */
  readonly workos: EnrollmentWorkosClient | (() => EnrollmentWorkosClient);
  /** Your WorkOS client id (`WORKOS_CLIENT_ID`), for verifying the email code. */
  readonly clientId: string;
  /** The step-up's attempt limiter: a wrong email code counts against the same per-session and per-user budget. */
  readonly limiter: AttemptLimiter;
  /** Issuer your users see in their authenticator app, e.g. the product name. */
  readonly issuer: string;
  /**
   * The MFA a session must hold to add a factor when the user already has one, checked when the factor is created
   * and again when it is confirmed. @default mfaPreset('strict') — MFA within 10 minutes
   */
  readonly policy?: MfaPolicy;
  /** How long a proven email and an unconfirmed factor stay usable. @default '10m' */
  readonly window?: Duration;
  /** Name of the flow in audit records. @default 'enrollment' */
  readonly target?: string;
}

/**
 * Why an enrollment step was refused; nothing changed unless stated.
 * - `not_signed_in`, `invalid_input` (the code is not 6 digits, the factor id is not an identifier).
 * - `mfa_required` — the user has a factor, and this session has not passed MFA under the policy (step up first).
 * - `email_proof_required` — a first factor needs the email code of this flow first (none, used or expired).
 * - `invalid_code` — the email code or the first authenticator code is wrong, used or expired.
 * - `unknown_enrollment` — no unconfirmed factor of this session by that id (finished, cancelled or expired).
 * - `rate_limited` — too many wrong codes (the step-up's budget) or WorkOS throttling; `retryAfterSeconds` when known.
 * - `unavailable` — WorkOS or Redis failed (logged on stderr).
 */
export type EnrollmentFailureCode =
  | 'not_signed_in'
  | 'invalid_input'
  | 'mfa_required'
  | 'email_proof_required'
  | 'invalid_code'
  | 'unknown_enrollment'
  | 'rate_limited'
  | 'unavailable';

/** The outcome of an enrollment step: `T` on success, or a failure with a sentence for the user. */
export type EnrollmentResult<T extends object = object> =
  | ({ readonly ok: true } & T)
  | {
      readonly ok: false;
      readonly code: EnrollmentFailureCode;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    };

/** What a new factor's page shows once: the QR code and its text alternative. Never log or store it. */
export interface EnrollmentSecret {
  readonly factorId: string;
  /** `data:image/png;base64,…` QR code of `uri`. */
  readonly qrCode: string;
  /** The base32 secret, for typing into an authenticator app. */
  readonly secret: string;
  /** `otpauth://totp/…` URI. */
  readonly uri: string;
  readonly issuer: string;
  readonly label: string;
}

/** Where the session stands for enrolling a factor. */
export interface EnrollmentStatus {
  /** What qualifies the next enrollment: fresh MFA of this session (the user has a factor) or an email code. */
  readonly proof: EnrollmentProof;
  /** Whether that proof is in hand now: MFA fresh under the policy, or an email code proven in this flow. */
  readonly ready: boolean;
  /** The account's email (where the code goes). */
  readonly email: string;
  /** Factors that count for the user (confirmed, or enrolled elsewhere). */
  readonly factors: number;
}

/** Factor enrollment that a password alone cannot abuse. Every method takes the **verified** current session. */
export interface FactorEnrollment {
  /** @throws when WorkOS or Redis fail. */
  status(current: CurrentStepUpSession): Promise<EnrollmentStatus>;
  /** Sends a one-time code to the account's email through WorkOS (Magic Auth); only for a user with no factor. */
  sendEmailCode(
    current: CurrentStepUpSession,
    context?: Partial<AuditContext>,
  ): Promise<EnrollmentResult<{ email: string }>>;
  /** Checks the emailed code through WorkOS; on success this session may create one factor within the window. */
  verifyEmailCode(
    current: CurrentStepUpSession,
    code: string,
    context?: Partial<AuditContext>,
  ): Promise<EnrollmentResult>;
  /**
   * Creates the factor at WorkOS when the session qualifies (decided now, not when the page rendered) and records
   * it as pending; returns the secret to show once.
   */
  start(
    current: CurrentStepUpSession,
    context?: Partial<AuditContext>,
  ): Promise<EnrollmentResult<{ factor: EnrollmentSecret }>>;
  /**
   * Verifies a first code of the pending factor and records the enrollment as confirmed. It never verifies the
   * session: the new factor counts from the next session on (or once this one passes MFA).
   */
  confirm(
    current: CurrentStepUpSession,
    factorId: string,
    code: string,
    context?: Partial<AuditContext>,
  ): Promise<EnrollmentResult<{ factorId: string }>>;
  /** Deletes this session's pending factor at WorkOS (the user gave up). */
  cancel(current: CurrentStepUpSession, factorId: string, context?: Partial<AuditContext>): Promise<EnrollmentResult>;
}

const MESSAGES: Readonly<Record<EnrollmentFailureCode, string>> = {
  not_signed_in: 'Your session has ended. Sign in again to continue.',
  invalid_input: 'Enter the 6-digit code.',
  mfa_required:
    'Adding an authenticator needs a recent second-factor check in this session. Verify with the authenticator you already have, then come back.',
  email_proof_required: 'First confirm your email address with the code we send to it.',
  invalid_code: 'That code is not right, or it was already used or expired. Check it and try again.',
  unknown_enrollment: 'This setup is no longer open (finished, cancelled or expired). Start again.',
  rate_limited: 'Too many attempts. For your security, this is paused. Try again later.',
  unavailable: 'This is unavailable right now and nothing was changed. Try again in a moment.',
};

function failure(code: EnrollmentFailureCode, retryAfterSeconds?: number): EnrollmentResult<never> {
  return retryAfterSeconds !== undefined && retryAfterSeconds > 0
    ? {
        ok: false,
        code,
        message: `${MESSAGES.rate_limited.replace('later', `in ${Math.ceil(retryAfterSeconds)} seconds`)}`,
        retryAfterSeconds: Math.ceil(retryAfterSeconds),
      }
    : { ok: false, code, message: MESSAGES[code] };
}

/** A failed WorkOS call: the user's mistake, WorkOS throttling, or an outage (reported). */
function workosRefusal(error: unknown, what: string): EnrollmentResult<never> {
  const { status, code, retryAfter } = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    code?: unknown;
    retryAfter?: unknown;
  };
  if (status === 429 || code === 'one_time_code_too_many_attempts')
    return failure('rate_limited', typeof retryAfter === 'number' ? retryAfter : undefined);
  if (code === 'invalid_one_time_code' || code === 'one_time_code_expired' || code === 'one_time_code_previously_used')
    return failure('invalid_code');
  reportUnavailable(what, error);
  return failure('unavailable');
}

/**
 * Factor enrollment (TOTP, through WorkOS's `createUserAuthFactor`) that a password alone cannot abuse:
 * - a user who has a factor adds another only in a session whose MFA is fresh under `policy` (10 minutes by
 *   default), decided again when the factor is created and when it is confirmed;
 * - a user with no factor first proves the account's email in the same flow, with a one-time code WorkOS sends
 *   (Magic Auth: `createMagicAuth`, checked by `authenticateWithMagicAuth`; the session that check creates at
 *   WorkOS is revoked at once and its tokens are discarded);
 * - each factor is recorded (pending, then confirmed by a first code) in the ledger's enrollment records, which
 *   the TOTP step-up reads: a pending factor, or one created after the app's first enrollment for the user with
 *   no record (a failed enrollment's leftover), never verifies a session; a confirmed one counts from the next
 *   session on. Enrolling never verifies the enrolling session.
 * Every step is audited (`enrollment.*`). Someone holding both the password and the mailbox can still enroll a
 * first factor.
 * @example
 * ```ts title="mfa-enrollment.ts"
 * export const enrollment = createFactorEnrollment({
 *   sessionMfa,
 *   workos: () => getWorkOS(),
 *   clientId: process.env.WORKOS_CLIENT_ID!,
 *   limiter,
 *   issuer: 'Acme Console',
 * });
 * ```
 */
export function createFactorEnrollment(options: FactorEnrollmentOptions): FactorEnrollment {
  const { sessionMfa, limiter, issuer } = options;
  const records: FactorEnrollmentRecords | undefined = sessionMfa.ledger?.enrollments;
  if (!records)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'sessionMfa',
      'needs a ledger: enrollment records live next to the session evidence.',
    );
  if (typeof options.clientId !== 'string' || options.clientId === '')
    throw new MfaConfigError('ERR_MFA_CONFIG_INVALID', 'clientId', 'must be your WorkOS client id.');
  if (typeof issuer !== 'string' || issuer.trim() === '')
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'issuer',
      'must name your product as authenticator apps should show it.',
    );
  const policy = options.policy ?? mfaPreset('strict', { name: 'enroll-factor' });
  const windowSeconds = parseDuration(options.window ?? '10m', 'window');
  const target = options.target ?? 'enrollment';
  const workos = (): EnrollmentWorkosClient =>
    typeof options.workos === 'function' ? options.workos() : options.workos;

  const contextOf = (context: Partial<AuditContext> | undefined, step: string): AuditContext => ({
    ...context,
    target: `${target}:${step}`,
  });
  const audit = (
    type:
      | 'enrollment.email_sent'
      | 'enrollment.email_proved'
      | 'enrollment.started'
      | 'enrollment.confirmed'
      | 'enrollment.abandoned'
      | 'enrollment.refused',
    current: CurrentStepUpSession,
    context: AuditContext,
    reason: string,
    detail: Record<string, string | number | boolean> = {},
  ) => {
    const { sessionId, userId, organizationId } = current.session;
    sessionMfa.audit(
      eventRecord({
        ...context,
        type,
        reason,
        sessionId: sessionId,
        userId,
        ...(organizationId ? { organizationId: organizationId } : {}),
        now: sessionMfa.now(),
        detail: { ...context.detail, ...detail },
      }),
    );
  };
  const subjectsOf = (current: CurrentStepUpSession): AttemptSubject[] => [
    { kind: 'session', id: current.session.sessionId },
    { kind: 'user', id: current.session.userId },
  ];

  /** The user's factors that count (confirmed or enrolled elsewhere), and the pending ones this app left. */
  async function factorsOf(
    userId: string,
  ): Promise<{ counted: WorkosFactor[]; pending: { factor: WorkosFactor; record: EnrollmentRecord | null }[] }> {
    const factors = (await (await workos().multiFactorAuth.listUserAuthFactors({ userId })).autoPagination()).filter(
      (f) => f.type === 'totp' && (f.userId === undefined || f.userId === userId),
    );
    const facts = await records!.read(
      userId,
      factors.map((f) => f.id),
    );
    const counted: WorkosFactor[] = [];
    const pending: { factor: WorkosFactor; record: EnrollmentRecord | null }[] = [];
    for (const factor of factors) {
      // The session's own MFA does not matter here: whether a factor counts for the user at all does.
      if (factorStanding(factor, { sessionId: '-', userId }, true, facts) === 'unconfirmed') {
        const record = facts.records.get(factor.id);
        pending.push({ factor, record: record && record !== 'malformed' ? record : null });
      } else counted.push(factor);
    }
    return { counted, pending };
  }

  /** Deletes the app's pending factors whose window has passed (abandoned setups), best effort. */
  async function sweep(
    current: CurrentStepUpSession,
    pending: { factor: WorkosFactor; record: EnrollmentRecord | null }[],
    context: AuditContext,
  ): Promise<void> {
    const now = sessionMfa.now();
    for (const { factor, record } of pending) {
      if (!record || record.startedAt + windowSeconds > now) continue;
      try {
        await workos().multiFactorAuth.deleteFactor(factor.id);
        await records!.remove(record.userId, factor.id);
        audit('enrollment.abandoned', current, context, 'expired', { factorId: factor.id });
      } catch (error) {
        reportUnavailable('abandoned enrollment cleanup', error);
      }
    }
  }

  async function freshMfa(current: CurrentStepUpSession, context: AuditContext): Promise<boolean> {
    return (await sessionMfa.decide(current.payload, policy, context)).allowed;
  }

  async function emailOf(userId: string): Promise<string> {
    return (await workos().userManagement.getUser(userId)).email;
  }

  return {
    async status(current) {
      const { counted } = await factorsOf(current.session.userId);
      const email = await emailOf(current.session.userId);
      if (counted.length > 0) {
        const decision = await sessionMfa.status(current.payload, { policy });
        return { proof: 'session_mfa', ready: decision.policy.allowed, email, factors: counted.length };
      }
      return {
        proof: 'email_code',
        ready: (await records!.emailProof(current.session.sessionId, current.session.userId)) !== null,
        email,
        factors: 0,
      };
    },

    async sendEmailCode(current, context) {
      const ctx = contextOf(context, 'email');
      try {
        if ((await factorsOf(current.session.userId)).counted.length > 0) {
          audit('enrollment.refused', current, ctx, 'has_factor');
          return failure('mfa_required');
        }
        const email = await emailOf(current.session.userId);
        await workos().userManagement.createMagicAuth({ email });
        audit('enrollment.email_sent', current, ctx, 'email_code_sent');
        return { ok: true, email };
      } catch (error) {
        return workosRefusal(error, 'WorkOS email code');
      }
    },

    async verifyEmailCode(current, rawCode, context) {
      const ctx = contextOf(context, 'email');
      const code = normalizedCode(rawCode);
      if (code === null) return failure('invalid_input');
      const subjects = subjectsOf(current);
      try {
        const verdict = await limiter.consume(subjects);
        if (!verdict.allowed) return failure('rate_limited', verdict.retryAfterSeconds);
      } catch (error) {
        reportUnavailable('attempt limiter', error);
        return failure('unavailable');
      }
      const { userId, sessionId } = current.session;
      let strayRevoked = true;
      try {
        if ((await factorsOf(userId)).counted.length > 0) {
          audit('enrollment.refused', current, ctx, 'has_factor');
          return failure('mfa_required');
        }
        const email = await emailOf(userId);
        const proof = await workos().userManagement.authenticateWithMagicAuth({
          clientId: options.clientId,
          email,
          code,
          ...(ctx.ip ? { ipAddress: ctx.ip } : {}),
          ...(ctx.userAgent ? { userAgent: ctx.userAgent } : {}),
        });
        // That check signed the user in at WorkOS: end that session now; its tokens never leave this function.
        const stray = decodeJwt(proof.accessToken).sid;
        try {
          if (typeof stray === 'string') await workos().userManagement.revokeSession({ sessionId: stray });
          else strayRevoked = false;
        } catch (error) {
          strayRevoked = false;
          reportUnavailable('WorkOS revoke of the email-check session', error);
        }
        if (proof.user.id !== userId) {
          audit('enrollment.refused', current, ctx, 'email_code_other_user');
          return failure('invalid_code');
        }
      } catch (error) {
        const refusal = workosRefusal(error, 'WorkOS email code check');
        if (!refusal.ok && refusal.code === 'invalid_code')
          audit('enrollment.refused', current, ctx, 'invalid_email_code');
        return refusal;
      }
      try {
        await records!.saveEmailProof(sessionId, userId, sessionMfa.now(), windowSeconds);
      } catch (error) {
        reportUnavailable('enrollment records', error);
        return failure('unavailable');
      }
      await limiter.refund(subjects).catch(() => undefined);
      audit('enrollment.email_proved', current, ctx, 'email_code_valid', { strayRevoked });
      return { ok: true };
    },

    async start(current, context) {
      const ctx = contextOf(context, 'start');
      const { userId, sessionId } = current.session;
      let proof: EnrollmentProof;
      try {
        const { counted, pending } = await factorsOf(userId);
        await sweep(current, pending, ctx);
        if (counted.length > 0) {
          if (!(await freshMfa(current, ctx))) {
            audit('enrollment.refused', current, ctx, 'mfa_not_fresh');
            return failure('mfa_required');
          }
          proof = 'session_mfa';
        } else proof = 'email_code';
        // Marked before WorkOS creates anything: a factor without a record created after this never counts.
        await records!.begin(userId, sessionMfa.now());
        if (proof === 'email_code' && (await records!.takeEmailProof(sessionId, userId)) === null) {
          audit('enrollment.refused', current, ctx, 'no_email_proof');
          return failure('email_proof_required');
        }
      } catch (error) {
        return workosRefusal(error, 'enrollment check');
      }

      let created: Awaited<
        ReturnType<EnrollmentWorkosClient['multiFactorAuth']['createUserAuthFactor']>
      >['authenticationFactor'];
      try {
        created = (
          await workos().multiFactorAuth.createUserAuthFactor({
            userId,
            type: 'totp',
            totpIssuer: issuer,
            totpUser: await emailOf(userId),
          })
        ).authenticationFactor;
      } catch (error) {
        return workosRefusal(error, 'WorkOS factor creation');
      }
      const startedAt = sessionMfa.now();
      try {
        if (!created.totp || !isSafeId(created.id)) throw new Error('WorkOS returned a factor without TOTP secrets.');
        await records!.write({
          userId,
          factorId: created.id,
          status: 'pending',
          sessionId: sessionId,
          proof,
          startedAt,
        });
      } catch (error) {
        reportUnavailable('enrollment records', error);
        // Never leave a factor behind that nobody recorded; if even this fails, it is a leftover that never counts.
        await workos()
          .multiFactorAuth.deleteFactor(created.id)
          .catch((deleteError: unknown) => reportUnavailable('WorkOS delete of an unrecorded factor', deleteError));
        return failure('unavailable');
      }
      audit('enrollment.started', current, ctx, proof, { factorId: created.id });
      const { qrCode, secret, uri, issuer: shownIssuer, user: label } = created.totp;
      return { ok: true, factor: { factorId: created.id, qrCode, secret, uri, issuer: shownIssuer, label } };
    },

    async confirm(current, factorId, rawCode, context) {
      const ctx = contextOf(context, 'confirm');
      const code = normalizedCode(rawCode);
      if (code === null || !isSafeId(factorId)) return failure('invalid_input');
      const { userId, sessionId } = current.session;
      let record: EnrollmentRecord;
      try {
        const found = (await records!.read(userId, [factorId])).records.get(factorId);
        if (
          !found ||
          found === 'malformed' ||
          found.status !== 'pending' ||
          found.sessionId !== sessionId ||
          found.startedAt + windowSeconds <= sessionMfa.now()
        )
          return failure('unknown_enrollment');
        record = found;
        if (record.proof === 'session_mfa' && !(await freshMfa(current, ctx))) {
          audit('enrollment.refused', current, ctx, 'mfa_not_fresh', { factorId });
          return failure('mfa_required');
        }
        const challenge = await workos().multiFactorAuth.challengeFactor({ authenticationFactorId: factorId });
        const verified = await workos().multiFactorAuth.verifyChallenge({
          authenticationChallengeId: challenge.id,
          code,
        });
        if (challenge.authenticationFactorId !== factorId || verified.challenge.authenticationFactorId !== factorId)
          return failure('unknown_enrollment');
        if (!verified.valid) {
          audit('enrollment.refused', current, ctx, 'invalid_first_code', { factorId });
          return failure('invalid_code');
        }
      } catch (error) {
        return workosRefusal(error, 'enrollment confirmation');
      }
      try {
        await records!.write({ ...record, status: 'confirmed', confirmedAt: sessionMfa.now() });
      } catch (error) {
        // Still pending, so still never counts; the user may confirm again with a new code.
        reportUnavailable('enrollment records', error);
        return failure('unavailable');
      }
      audit('enrollment.confirmed', current, ctx, record.proof, { factorId });
      return { ok: true, factorId };
    },

    async cancel(current, factorId, context) {
      const ctx = contextOf(context, 'cancel');
      if (!isSafeId(factorId)) return failure('invalid_input');
      const { userId, sessionId } = current.session;
      try {
        const found = (await records!.read(userId, [factorId])).records.get(factorId);
        if (!found || found === 'malformed' || found.status !== 'pending' || found.sessionId !== sessionId)
          return failure('unknown_enrollment');
        await workos().multiFactorAuth.deleteFactor(factorId);
        await records!.remove(userId, factorId);
      } catch (error) {
        return workosRefusal(error, 'enrollment cancel');
      }
      audit('enrollment.abandoned', current, ctx, 'cancelled', { factorId });
      return { ok: true };
    },
  };
}
