/**
 * TOTP codes for the e2e users, computed from their seed secrets with `otpauth` (RFC 6238: SHA-1, 6 digits,
 * 30 s). The emulator refuses a time step at or below the last one it accepted for a factor (as RFC 6238
 * §5.2 asks), so every code handed out here uses a fresh step: the steps used so far are kept in a file of
 * the run's state directory (it survives a worker restart). When the ±1-step window has no fresh step left,
 * this waits — polling the clock — for the next one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { stack } from './env';
import type { E2eUser } from './users';

const PERIOD = 30;

function stateFile(factorId: string): string {
  return join(stack.stateDir, `${factorId}.last-step`);
}

function lastStep(factorId: string): number {
  try {
    return Number(readFileSync(stateFile(factorId), 'utf8'));
  } catch {
    return -1;
  }
}

function codeAt(secret: string, step: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    timestamp: step * PERIOD * 1000,
  });
}

/** The freshest usable step now, or `null` when every step the verifier accepts now was used already. */
function freshStep(last: number, latest: boolean): number | null {
  const now = Date.now() / 1000;
  const current = Math.floor(now / PERIOD);
  // current-1 stops being accepted when the next step begins: only use it with time to spare.
  const candidates = latest
    ? [current + 1]
    : [...(PERIOD - (now % PERIOD) >= 8 ? [current - 1] : []), current, current + 1];
  return candidates.find((step) => step > last) ?? null;
}

/**
 * A code for `user`'s factor that the emulator will accept (and records its step as used).
 * @param options.latest - use the newest acceptable step (valid for at least 30 s more), e.g. to submit the same
 * code several times while attempts are refused before reaching WorkOS.
 */
export async function freshCode(user: E2eUser, options: { latest?: boolean } = {}): Promise<string> {
  if (!user.totpSecret || !user.factorId) throw new Error(`${user.email} has no TOTP factor.`);
  const last = lastStep(user.factorId);
  let step = freshStep(last, options.latest ?? false);
  if (step === null) {
    await expect
      .poll(() => freshStep(last, options.latest ?? false), {
        message: 'waiting for a fresh TOTP time step',
        timeout: 35_000,
        intervals: [500],
      })
      .not.toBeNull();
    step = freshStep(last, options.latest ?? false)!;
  }
  writeFileSync(stateFile(user.factorId), String(step));
  return codeAt(user.totpSecret, step);
}

/** A 6-digit code that is certainly wrong for `user` right now (none of the accepted steps produce it). */
export function wrongCode(user: E2eUser): string {
  const current = Math.floor(Date.now() / 1000 / PERIOD);
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => codeAt(user.totpSecret!, current + d)));
  for (let n = 100_000; ; n += 7919) if (!valid.has(String(n))) return String(n);
}
