import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Crockford base32 of `value`, left-padded to `length` characters. */
function encodeTime(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * A ULID for emulator time `nowMs`: 48-bit time, then 80 random bits. The time comes from the emulator's clock
 * (never the wall clock), so an id minted after `advanceClock` encodes the shifted time, as WorkOS's ids encode
 * WorkOS's — apps that read a session's start from its `sid` see the emulator's time.
 */
export function newUlid(nowMs: number): string {
  const random = randomBytes(16);
  let tail = '';
  for (const byte of random) tail += CROCKFORD[byte % 32];
  return `${encodeTime(Math.floor(nowMs), 10)}${tail}`;
}

/** A WorkOS-style identifier, `<prefix>_<ULID>` (e.g. `session_01HZX…`), for emulator time `nowMs`. */
export function newId(prefix: string, nowMs: number): string {
  return `${prefix}_${newUlid(nowMs)}`;
}

/** An opaque, unguessable bearer value (refresh tokens, codes, pending tokens). */
export function newSecretToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
