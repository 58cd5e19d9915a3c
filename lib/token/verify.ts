import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { MfaConfigError, MfaError } from '../core/errors';

/** Where WorkOS's API lives; the same three settings authkit reads from `WORKOS_API_*`. */
export interface WorkosApiLocation {
  /** @default 'api.workos.com' */
  readonly apiHostname?: string;
  /** @default true */
  readonly https?: boolean;
  /** @default the scheme's port */
  readonly port?: number;
}

/**
 * The JWKS URL WorkOS publishes for a client: `<api>/sso/jwks/<clientId>`.
 * @example workosJwksUrl('client_123', { apiHostname: '127.0.0.1', https: false, port: 4455 })
 */
export function workosJwksUrl(clientId: string, location: WorkosApiLocation = {}): URL {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(clientId))
    throw new MfaConfigError('ERR_MFA_CONFIG_INVALID', 'clientId', 'must be a WorkOS client id such as "client_01H…".');
  const { apiHostname = 'api.workos.com', https = true, port } = location;
  const origin = `${https ? 'https' : 'http'}://${apiHostname}${port ? `:${port}` : ''}`;
  return new URL(`/sso/jwks/${clientId}`, origin);
}

/** Options of {@link createAccessTokenVerifier}. */
export interface AccessTokenVerifierOptions {
  /** JWKS endpoint, usually {@link workosJwksUrl}. */
  readonly jwksUrl: URL;
  /** Expected `iss`; unchecked when omitted (as authkit does). */
  readonly issuer?: string;
  /** Accepted signature algorithms. @default ['RS256'] */
  readonly algorithms?: readonly string[];
  /** Allowed clock difference for `exp`/`nbf`, in seconds. @default 0 */
  readonly clockTolerance?: number;
  /** Clock in epoch seconds, for `exp`/`nbf`. @default Date.now() / 1000 */
  readonly now?: () => number;
}

/** Verifies a WorkOS access token; resolves to its payload. */
export type AccessTokenVerifier = (token: string) => Promise<JWTPayload>;

/**
 * A verifier that checks an access token's signature against the JWKS (keys cached and refetched on an
 * unknown `kid`, by jose), its algorithm (`alg: none` and HMAC are refused) and its `exp`/`nbf`.
 *
 * @remarks Behind authkit's middleware the token was already verified in this request; the library then
 * reads its claims without paying for a second verification. Use this verifier for tokens that did not come
 * through authkit (e.g. a bearer token sent by an API client).
 * @throws MfaError `ERR_MFA_TOKEN_INVALID` from the returned function, with jose's error as `cause`.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const jwks = createRemoteJWKSet(options.jwksUrl);
  const algorithms = [...(options.algorithms ?? ['RS256'])];
  return async (token) => {
    try {
      const currentDate = options.now ? new Date(options.now() * 1000) : undefined;
      const { payload } = await jwtVerify(token, jwks, {
        algorithms,
        issuer: options.issuer,
        clockTolerance: options.clockTolerance ?? 0,
        currentDate,
      });
      return payload;
    } catch (cause) {
      const code = cause instanceof errors.JOSEError ? cause.code : 'ERR_UNKNOWN';
      throw new MfaError('ERR_MFA_TOKEN_INVALID', `Access token rejected (${code}).`, { cause });
    }
  };
}
