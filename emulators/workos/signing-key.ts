import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { newSecretToken } from './ids';

/** The RS256 key that signs access tokens, and its public JWK for `/sso/jwks/{clientId}`. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Generates a 2048-bit RS256 key with a fresh random `kid` (jose rejects shorter RSA keys). */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const kid = `sso_oidc_key_pair_${newSecretToken(12)}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}
