import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A WorkOS-style session id minted at `ms`: `session_<ULID>` (10 Crockford base32 characters of time, 16 of
 * randomness), written independently of the library's decoder.
 */
export function sessionIdAt(ms: number): string {
  let time = '';
  for (let rest = Math.floor(ms), i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  const random = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('');
  return `session_${time}${random}`;
}
