import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 S256: `base64url(sha256(verifier)) === challenge`, compared in constant time. */
export function verifyPkceS256(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
