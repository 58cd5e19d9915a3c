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
 * A WorkOS-style identifier: `<prefix>_<ULID>`, e.g. `session_01HZX…`.
 * Time-ordered like WorkOS ids so listings sort the way real ones do.
 */
export function newId(prefix: string): string {
  const random = randomBytes(16);
  let tail = '';
  for (const byte of random) tail += CROCKFORD[byte % 32];
  return `${prefix}_${encodeTime(Date.now(), 10)}${tail}`;
}

/** An opaque, unguessable bearer value (refresh tokens, codes, pending tokens). */
export function newSecretToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
