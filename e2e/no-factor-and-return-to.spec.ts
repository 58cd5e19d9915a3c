/**
 * Scenario 8: bob has no factor: the step-up page says so plainly and he cannot pass. `return_to` values
 * that leave the origin (`https://evil.example`, `//evil.example`) land on `/` after a step-up.
 */
import { expect, test } from '@playwright/test';
import { codeInput, fillSignInForm, signIn, stepUp, stepUpError, submitCode } from './support/app';
import { E2E_BASE_URL } from './support/env';
import { freshCode } from './support/totp';
import { USERS } from './support/users';

test('bob, without an authenticator, is told so and cannot pass', async ({ page }) => {
  await signIn(page, USERS.bob);
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
  await expect(page.locator('.mfa-no-factor')).toContainText('Your account has no authenticator app set up');
  await expect(page.locator('.mfa-no-factor')).toContainText('It will not verify this session');
  await expect(page.locator('.mfa-no-factor').getByRole('link', { name: 'Set up an authenticator' })).toHaveAttribute(
    'href',
    '/account/authenticator',
  );
  await expect(codeInput(page)).toHaveCount(0);

  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
  expect((await page.request.get('/api/admin/report')).status()).toBe(403);
});

for (const target of ['https://evil.example', '//evil.example']) {
  test(`return_to=${target} lands on / after step-up`, async ({ page }) => {
    const judy = USERS.judy;
    await signIn(page, judy);
    await page.goto(`/step-up?return_to=${encodeURIComponent(target)}`);
    await expect(page.getByRole('heading', { name: 'Verify it’s you' })).toBeVisible();
    await stepUp(page, judy);
    await expect(page).toHaveURL(`${E2E_BASE_URL}/`);
  });
}

test('a code that already verified the factor is refused as a replay', async ({ page }) => {
  const judy = USERS.judy;
  await signIn(page, judy);
  await page.goto('/step-up?return_to=%2Faccount');
  const code = await freshCode(judy);
  await submitCode(page, code);
  await expect(page).toHaveURL('/account');

  await page.goto('/step-up?return_to=%2Fadmin');
  await submitCode(page, code);
  await expect(stepUpError(page)).toHaveText(
    'That code was already used. Wait for your authenticator app to show a new code.',
  );
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
});

test('signed out, the step-up page sends the user to sign in and back to it', async ({ page }) => {
  const judy = USERS.judy;
  await page.goto('/step-up?return_to=%2Faccount');
  await expect(page).toHaveURL(/\/user_management\/authorize/);
  await fillSignInForm(page, judy);
  await expect(page).toHaveURL('/step-up?return_to=%2Faccount');
  await expect(codeInput(page)).toBeVisible();
});
