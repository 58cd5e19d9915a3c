/** Scenario 6: signing out removes the session's ledger entry; signing in again starts without MFA. */
import { expect, test } from '@playwright/test';
import { ledgerKey, sessionStatus, signIn, stepUp, withRedis } from './support/app';
import { USERS } from './support/users';

const ivan = USERS.ivan;

test('sign-out deletes the ledger entry and the next session starts unverified', async ({ page }) => {
  await signIn(page, ivan);
  await page.goto('/admin');
  await stepUp(page, ivan);
  await expect(page).toHaveURL('/admin');
  const first = await sessionStatus(page);
  expect(first.policies.admin.allowed).toBe(true);
  const stored = await withRedis((redis) => redis.get(ledgerKey(first.sessionId)));
  expect(JSON.parse(stored ?? 'null')).toMatchObject({
    sessionId: first.sessionId,
    userId: ivan.id,
    source: 'step_up',
    methods: ['otp'],
    factorId: ivan.factorId,
  });

  await page.getByRole('link', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible();
  expect(await withRedis((redis) => redis.exists(ledgerKey(first.sessionId)))).toBe(0);

  await signIn(page, ivan);
  const second = await sessionStatus(page);
  expect(second.sessionId).not.toBe(first.sessionId);
  expect(second.policies.admin).toMatchObject({ allowed: false, reason: 'no_evidence' });
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
});
