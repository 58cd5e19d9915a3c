import { codedError, notFound } from './api-error';
import type { EmulatorContext } from './context';
import type { ChallengeRecord, FactorRecord } from './store';

/**
 * The challenge and its factor, if the challenge can still be verified.
 * @throws {WorkosApiError} 404 when unknown; 422 `authentication_challenge_previously_verified` or
 * `authentication_challenge_expired` (WorkOS's codes) when it cannot be used any more.
 */
export function openChallenge(
  emu: EmulatorContext,
  challengeId: string,
): { challenge: ChallengeRecord; factor: FactorRecord } {
  const challenge = emu.store.challenges.get(challengeId);
  const factor = challenge === undefined ? undefined : emu.store.factors.get(challenge.factorId);
  if (challenge === undefined || factor === undefined) throw notFound('Authentication Challenge', challengeId);
  if (challenge.status === 'verified') {
    throw codedError(
      422,
      'authentication_challenge_previously_verified',
      `The authentication challenge '${challengeId}' has already been verified.`,
    );
  }
  if (challenge.expiresAt <= emu.clock.now()) {
    throw codedError(
      422,
      'authentication_challenge_expired',
      `The authentication challenge '${challengeId}' has expired.`,
    );
  }
  return { challenge, factor };
}
