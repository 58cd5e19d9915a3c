import { Secret, TOTP } from 'otpauth';
import type { FactorRecord } from './store';

const PERIOD_SECONDS = 30;

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'invalid' | 'replayed' };

/**
 * Checks an RFC 6238 code (SHA-1, 6 digits, 30 s, ±1 step) against a factor at emulator time `nowMs`,
 * without changing anything. A code whose time step is at or below the factor's last accepted step is
 * a replay (RFC 6238 §5.2); the caller records `step` in `factor.lastUsedStep` when it accepts the code.
 */
export function checkTotp(
  factor: Pick<FactorRecord, 'secret' | 'lastUsedStep'>,
  code: string,
  nowMs: number,
): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'malformed' };
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(factor.secret),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    timestamp: nowMs,
    window: 1,
  });
  if (delta === null) return { ok: false, reason: 'invalid' };
  const step = Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta;
  if (step <= factor.lastUsedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

/** The current code for a secret at emulator time `nowMs` (shown by the CLI and the users control route). */
export function currentTotpCode(secret: string, nowMs: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    timestamp: nowMs,
  });
}

/** A new random base32 secret (160 bits, as RFC 4226 recommends). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}
