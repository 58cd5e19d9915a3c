import { invalidField, notFound } from '../api-error';
import { openChallenge } from '../challenges';
import type { EmulatorContext } from '../context';
import { emptyReply, jsonReply } from '../http';
import { newId } from '../ids';
import { CHALLENGE_TTL_MS } from '../lifetimes';
import { paginate, wireList } from '../pagination';
import type { EmulatorRequest, Route } from '../router';
import { isBase32Secret } from '../seed';
import { DEFAULT_TOTP_ISSUER, userFactors, type ChallengeRecord, type FactorRecord } from '../store';
import { checkTotp, newTotpSecret } from '../totp';
import { wireChallenge, wireFactor, wireFactorWithSecrets } from '../wire';

function optionalText(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '')
    throw invalidField(name, `${name}_invalid`, `${name} must be a non-empty string.`);
  return value;
}

function requireTotpType(body: Record<string, unknown>): void {
  const type = body.type;
  if (type === undefined) throw invalidField('type', 'type_required', 'type is required.');
  if (type !== 'totp')
    throw invalidField('type', 'type_invalid', `The emulator only supports type "totp", not ${JSON.stringify(type)}.`);
}

function createFactor(
  emu: EmulatorContext,
  input: { userId: string | null; issuer: string; label: string; secret: string },
): FactorRecord {
  const now = emu.clock.now();
  const factor: FactorRecord = {
    id: newId('auth_factor', now),
    type: 'totp',
    lastUsedStep: -1,
    createdAt: now,
    updatedAt: now,
    ...input,
  };
  emu.store.factors.set(factor.id, factor);
  return factor;
}

function createChallenge(emu: EmulatorContext, factor: FactorRecord): ChallengeRecord {
  const now = emu.clock.now();
  const challenge: ChallengeRecord = {
    id: newId('auth_challenge', now),
    factorId: factor.id,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
    expiresAt: now + CHALLENGE_TTL_MS,
  };
  emu.store.challenges.set(challenge.id, challenge);
  return challenge;
}

function requireUser(req: EmulatorRequest) {
  const userId = req.params.userId ?? '';
  const user = req.emu.store.users.get(userId);
  if (user === undefined) throw notFound('User', userId);
  return user;
}

function requireFactor(req: EmulatorRequest): FactorRecord {
  const id = req.params.id ?? '';
  const factor = req.emu.store.factors.get(id);
  if (factor === undefined) throw notFound('Authentication Factor', id);
  return factor;
}

/** TOTP factors, challenges and verification (user-management and standalone MFA APIs). */
export const mfaRoutes: Route[] = [
  {
    method: 'POST',
    path: '/user_management/users/:userId/auth_factors',
    access: 'api',
    async handle(req) {
      const body = req.json();
      requireTotpType(body);
      const user = requireUser(req);
      const secret = optionalText(body, 'totp_secret');
      if (secret !== null && !isBase32Secret(secret))
        throw invalidField(
          'totp_secret',
          'totp_secret_invalid',
          'totp_secret must be base32 (A-Z, 2-7), at least 16 characters.',
        );
      const issuer = optionalText(body, 'totp_issuer') ?? DEFAULT_TOTP_ISSUER;
      const label = optionalText(body, 'totp_user') ?? user.email;
      const factor = createFactor(req.emu, { userId: user.id, issuer, label, secret: secret ?? newTotpSecret() });
      const challenge = createChallenge(req.emu, factor);
      return jsonReply(201, {
        authentication_factor: await wireFactorWithSecrets(factor),
        authentication_challenge: wireChallenge(challenge),
      });
    },
  },
  {
    method: 'GET',
    path: '/user_management/users/:userId/auth_factors',
    access: 'api',
    handle(req) {
      const user = requireUser(req);
      return jsonReply(200, wireList(paginate(userFactors(req.emu.store, user.id), req.url.searchParams), wireFactor));
    },
  },
  {
    method: 'POST',
    path: '/auth/factors/enroll',
    access: 'api',
    async handle(req) {
      const body = req.json();
      requireTotpType(body);
      const issuer = optionalText(body, 'totp_issuer');
      const label = optionalText(body, 'totp_user');
      if (issuer === null)
        throw invalidField('totp_issuer', 'totp_issuer_required', 'totp_issuer is required for type "totp".');
      if (label === null)
        throw invalidField('totp_user', 'totp_user_required', 'totp_user is required for type "totp".');
      const factor = createFactor(req.emu, { userId: null, issuer, label, secret: newTotpSecret() });
      return jsonReply(201, await wireFactorWithSecrets(factor));
    },
  },
  {
    method: 'GET',
    path: '/auth/factors/:id',
    access: 'api',
    handle: (req) => jsonReply(200, wireFactor(requireFactor(req))),
  },
  {
    method: 'DELETE',
    path: '/auth/factors/:id',
    access: 'api',
    handle(req) {
      const factor = requireFactor(req);
      req.emu.store.factors.delete(factor.id);
      for (const [id, challenge] of req.emu.store.challenges)
        if (challenge.factorId === factor.id) req.emu.store.challenges.delete(id);
      return emptyReply(204);
    },
  },
  {
    method: 'POST',
    path: '/auth/factors/:id/challenge',
    access: 'api',
    handle(req) {
      req.json(); // reject malformed bodies like every other POST
      const factor = requireFactor(req);
      return jsonReply(201, wireChallenge(createChallenge(req.emu, factor)));
    },
  },
  {
    method: 'POST',
    path: '/auth/challenges/:id/verify',
    access: 'api',
    handle(req) {
      const { emu } = req;
      const body = req.json();
      const code = body.code;
      if (typeof code !== 'string' || code === '') throw invalidField('code', 'code_required', 'code is required.');
      const { challenge, factor } = openChallenge(emu, req.params.id ?? '');
      const now = emu.clock.now();
      const check = checkTotp(factor, code, now);
      // No authentication.mfa_* event: nothing shows WorkOS emits one for the standalone MFA API, and a
      // verification here belongs to no session.
      if (!check.ok) return jsonReply(201, { challenge: wireChallenge(challenge), valid: false });
      factor.lastUsedStep = check.step;
      challenge.status = 'verified';
      challenge.updatedAt = now;
      return jsonReply(201, { challenge: wireChallenge(challenge), valid: true });
    },
  },
];
