/**
 * The drop-in step-up's route (`createStepUp(...).GET/POST`, mounted at `app/step-up/verify/route.ts`), called as
 * an app's own tests would call it: `withTestSession` supplies the signed-in session, and everything behind it is
 * real — WorkOS's MFA API through `@workos-inc/node` against the emulator, limits, replay markers and the ledger
 * in real Redis behind the Upstash stand-in.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createStepUp } from '../../lib/step-up/create-step-up';
import { upstashAttemptLimiter } from '../../lib/step-up/ratelimit-limiter';
import { createTotpStepUp, type StepUpMfaClient } from '../../lib/step-up/totp';
import { upstashUsedCodes } from '../../lib/step-up/used-codes';
import { withTestSession } from '../../lib/testing/run-as';
import { standInClient, startHarness, type Harness, type SignedIn } from '../hostile/support/harness';

const ORIGIN = 'http://localhost:3000';
let h: Harness;
let redis: Redis;
let alice: SignedIn;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  redis = standInClient(h.standIn!);
  alice = await h.signIn('alice@acme.test', 'alice-password-1');
});
afterAll(() => h?.close());

function dropIn() {
  const keyPrefix = `drop-in-${randomUUID().slice(0, 8)}`;
  return createStepUp({
    sessionMfa: h.sessionMfa,
    totp: createTotpStepUp({
      sessionMfa: h.sessionMfa,
      mfa: h.workos.multiFactorAuth as unknown as StepUpMfaClient,
      limiter: upstashAttemptLimiter({ redis, keyPrefix, attempts: 5, window: '15m' }),
      usedCodes: upstashUsedCodes({ redis, keyPrefix }),
    }),
  });
}

const asAlice = <T>(fn: () => T) => withTestSession({ accessToken: alice.accessToken, userId: alice.userId }, fn);
const codeNow = (factorId: string) =>
  h.emulator.control
    .users()
    .flatMap((u) => u.totpFactors)
    .find((f) => f.id === factorId)!.codeNow;

function verify(fields: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/step-up/verify`, {
    method: 'POST',
    headers: { origin: ORIGIN, host: 'localhost:3000', accept: 'application/json', ...headers },
    body: new URLSearchParams({ intent: 'verify', return_to: '/admin', ...fields }),
  });
}

async function aliceFactor(stepUp: ReturnType<typeof dropIn>): Promise<string> {
  const data = (await (await asAlice(() => stepUp.GET(new Request(`${ORIGIN}/step-up/verify`)))).json()) as {
    status: string;
    factors: Array<{ id: string }>;
  };
  expect(data.status).toBe('ready');
  expect(data.factors).toHaveLength(1);
  return data.factors[0]!.id;
}

describe('the drop-in step-up route under withTestSession', () => {
  it('serves the dialog its data: signed out, then the signed-in user’s own factors', async () => {
    const stepUp = dropIn();
    const signedOut = await withTestSession(null, () => stepUp.GET(new Request(`${ORIGIN}/step-up/verify`)));
    expect(await signedOut.json()).toEqual({ status: 'signed_out' });
    expect(await aliceFactor(stepUp)).toMatch(/^auth_factor_/);
  });

  it('verifies a pasted code for this session and writes its ledger entry; the JSON says where to go', async () => {
    await h.ledger.remove(alice.sid);
    const stepUp = dropIn();
    const factorId = await aliceFactor(stepUp);
    const code = codeNow(factorId).replace(/^(\d{3})/, '$1 ');
    const answer = await asAlice(() => stepUp.POST(verify({ factor_id: factorId, code })));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, redirectTo: '/admin' });
    expect(await h.ledger.lookup(alice.sid)).toMatchObject({
      status: 'found',
      entry: { sessionId: alice.sid, userId: alice.userId, source: 'step_up' },
    });
  });

  it('without JavaScript: a wrong code goes back to the page with the failure, nothing is written', async () => {
    await h.ledger.remove(alice.sid);
    const stepUp = dropIn();
    const factorId = await aliceFactor(stepUp);
    const wrong = codeNow(factorId) === '000000' ? '111111' : '000000';
    const answer = await asAlice(() =>
      stepUp.POST(verify({ factor_id: factorId, code: wrong }, { accept: 'text/html' })),
    );
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/step-up?return_to=%2Fadmin&error=invalid_code');
    expect((await h.ledger.lookup(alice.sid)).status).toBe('missing');
  });

  it('refuses a post from another site before anything runs: no attempt spent, nothing written', async () => {
    await h.ledger.remove(alice.sid);
    const stepUp = dropIn();
    const factorId = await aliceFactor(stepUp);
    const answer = await asAlice(() =>
      stepUp.POST(verify({ factor_id: factorId, code: codeNow(factorId) }, { origin: 'https://evil.example' })),
    );
    expect(answer.status).toBe(403);
    expect((await h.ledger.lookup(alice.sid)).status).toBe('missing');
  });

  it('signed out, a code verifies nothing', async () => {
    const stepUp = dropIn();
    const answer = await withTestSession(null, () =>
      stepUp.POST(verify({ factor_id: 'auth_factor_x', code: '123456' })),
    );
    expect(await answer.json()).toMatchObject({ ok: false, code: 'not_signed_in' });
  });
});
