/** Access-token verification against the WorkOS emulator's real JWKS, including hostile tokens. */
import { WorkOS } from '@workos-inc/node';
import { SignJWT, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkosEmulator, type WorkosEmulator } from '../emulators/workos';
import { createAccessTokenVerifier, workosJwksUrl } from '../lib/token/verify';

let emulator: WorkosEmulator;
let workos: WorkOS;
let token: string;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (jwt: string) => jwt.split('.') as [string, string, string];

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0 });
  workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
  token = (
    await workos.userManagement.authenticateWithPassword({
      clientId: emulator.clientId,
      email: 'alice@acme.test',
      password: 'alice-password-1',
    })
  ).accessToken;
});
afterAll(() => emulator?.close());

function verifier(extra: { issuer?: string; now?: () => number } = {}) {
  return createAccessTokenVerifier({
    jwksUrl: workosJwksUrl(emulator.clientId, { apiHostname: '127.0.0.1', https: false, port: emulator.port }),
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    const err = e as { code: string; cause?: { code?: string } };
    expect(err.code).toBe('ERR_MFA_TOKEN_INVALID');
    return err.cause?.code ?? 'none';
  }
  throw new Error('token was accepted');
}

describe('createAccessTokenVerifier', () => {
  it('accepts a genuine emulator token and returns its claims', async () => {
    const payload = await verifier()(token);
    expect(payload).toMatchObject({ sub: 'user_alice', iss: emulator.issuer });
    expect(typeof payload.sid).toBe('string');
  });

  it('builds the WorkOS JWKS URL from the API location', () => {
    expect(workosJwksUrl('client_1').href).toBe('https://api.workos.com/sso/jwks/client_1');
    expect(workosJwksUrl('client_1', { apiHostname: '127.0.0.1', https: false, port: 4455 }).href).toBe(
      'http://127.0.0.1:4455/sso/jwks/client_1',
    );
    expect(() => workosJwksUrl('../evil')).toThrow(/clientId/);
  });

  it('checks the issuer when one is configured', async () => {
    // WorkOS's issuer form, as an app that pins `issuer` would configure it.
    expect((await verifier({ issuer: `https://api.workos.com/user_management/${emulator.clientId}` })(token)).sub).toBe(
      'user_alice',
    );
    await rejection(verifier({ issuer: 'https://api.workos.com' })(token));
    await rejection(verifier({ issuer: emulator.url })(token));
  });

  it('rejects alg "none"', async () => {
    const [, payload] = parts(token);
    await rejection(verifier()(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`));
  });

  it('rejects HS256 signed with the RSA public key (algorithm confusion)', async () => {
    const jwks = (await (
      await fetch(workosJwksUrl(emulator.clientId, { apiHostname: '127.0.0.1', https: false, port: emulator.port }))
    ).json()) as { keys: JWK[] };
    const key = jwks.keys[0]!;
    const claims = JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString());
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(new TextEncoder().encode(JSON.stringify(key)));
    await rejection(verifier()(forged));
  });

  it('rejects a token signed by another key under an unknown kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const claims = JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString());
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'attacker-kid' }).sign(privateKey);
    expect(await rejection(verifier()(forged))).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });

  it("rejects a token signed by another key under the emulator's kid", async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const header = JSON.parse(Buffer.from(parts(token)[0], 'base64url').toString());
    const claims = JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString());
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(privateKey);
    expect(await rejection(verifier()(forged))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('rejects a tampered payload', async () => {
    const [h, p, s] = parts(token);
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    expect(await rejection(verifier()(`${h}.${b64({ ...claims, amr: ['pwd', 'mfa'] })}.${s}`))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
  });

  it('rejects an expired token and accepts it while still valid', async () => {
    const exp = (await verifier()(token)).exp!;
    expect((await verifier({ now: () => exp - 1 })(token)).sub).toBe('user_alice');
    expect(await rejection(verifier({ now: () => exp + 1 })(token))).toBe('ERR_JWT_EXPIRED');
  });

  it.each(['', 'garbage', 'a.b.c', `${b64({ alg: 'RS256' })}.${b64('x')}.`])(
    'rejects malformed input %j',
    async (bad) => {
      await rejection(verifier()(bad));
    },
  );
});
