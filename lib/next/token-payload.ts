import { decodeJwt, type JWTPayload } from 'jose';

/**
 * Claims of an access token that authkit already verified in this request (or received from WorkOS on
 * refresh); `null` when it does not decode. Never use this on a token from anywhere else.
 */
export function verifiedPayload(accessToken: string | undefined): JWTPayload | null {
  if (!accessToken) return null;
  try {
    return decodeJwt(accessToken);
  } catch {
    return null;
  }
}
