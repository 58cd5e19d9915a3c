import { expect, test } from '@playwright/test';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { createSessionLedger } from 'authkit-session-mfa';
import { signInForTest } from 'authkit-session-mfa/testing';
import { upstashStore } from 'authkit-session-mfa/upstash';

const env = (name: string) => process.env[name] ?? '';
const workos = new WorkOS(env('WORKOS_API_KEY'), {
  apiHostname: env('WORKOS_API_HOSTNAME') || undefined,
  https: env('WORKOS_API_HTTPS') !== 'false',
  port: Number(env('WORKOS_API_PORT')) || undefined,
});
const redis = new Redis({
  url: env('UPSTASH_REDIS_REST_URL'),
  token: env('UPSTASH_REDIS_REST_TOKEN'),
  automaticDeserialization: false,
});
const ledger = createSessionLedger({ store: upstashStore(redis) });
const alice = {
  workos,
  clientId: env('WORKOS_CLIENT_ID'),
  cookiePassword: env('WORKOS_COOKIE_PASSWORD'),
  email: 'alice@acme.test',
  password: 'alice-password-1',
};

test('the admin area opens with MFA verified a minute ago', async ({ context, page, baseURL }) => {
  const session = await signInForTest({ ...alice, mfa: { ledger, ago: '1m' } });
  await context.addCookies(session.cookies(baseURL!));
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL('/admin');
});

test('rotating a key asks for a new step-up when MFA is 11 minutes old', async ({ context, page, baseURL }) => {
  const session = await signInForTest({ ...alice, mfa: { ledger, ago: '11m' } });
  await context.addCookies(session.cookies(baseURL!));
  await page.goto('/admin/keys');
  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await expect(page.getByRole('dialog', { name: 'Verify it’s you' })).toBeVisible(); // the step-up dialog
});

test('a session sent to step-up gets in once its MFA is recorded', async ({ context, page, baseURL }) => {
  const session = await signInForTest(alice);
  await context.addCookies(session.cookies(baseURL!));
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/step-up\?return_to=%2Fadmin/);
  await session.recordMfa({ ledger });
  await page.goto('/admin');
  await expect(page).toHaveURL('/admin');
});
