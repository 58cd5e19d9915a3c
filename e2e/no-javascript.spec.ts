/**
 * The step-up page without JavaScript: plain HTML forms posting to the step-up route, which answers with
 * redirects — back to the page with the refusal on a wrong code, on to `return_to` on a right one.
 */
import { expect, test } from '@playwright/test';
import { codeInput, sessionStatus, signIn, stepUpError } from './support/app';
import { E2E_WINDOWS } from './support/env';
import { freshCode, wrongCode } from './support/totp';
import { USERS } from './support/users';

const olga = USERS.olga;

test.use({ javaScriptEnabled: false });

test('a wrong code is refused and explained, a right one (pasted with a space) passes — all without JavaScript', async ({
  page,
}) => {
  await signIn(page, olga);
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
  // No client code runs: the form posts to the route itself.
  const form = page.locator('form', { has: codeInput(page) });
  await expect(form).toHaveAttribute('method', 'post');
  await expect(form).toHaveAttribute('action', '/step-up/verify');

  await codeInput(page).fill(wrongCode(olga));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin&error=invalid_code');
  await expect(stepUpError(page)).toHaveText(
    'That code is not right. Check your authenticator app and enter the code it shows now.',
  );
  await expect(codeInput(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(codeInput(page)).toHaveAccessibleDescription(/That code is not right/);
  expect((await sessionStatus(page)).policies.admin).toMatchObject({ allowed: false });

  const code = await freshCode(olga);
  await codeInput(page).fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page).toHaveURL('/admin');
  await expect(page.getByRole('heading', { name: 'Admin' })).toBeVisible();
  expect((await sessionStatus(page)).policies.admin).toMatchObject({ allowed: true, evidence: { source: 'ledger' } });
});

test('Cancel is a plain link, and "Sign in again" a plain form, without JavaScript', async ({ page }) => {
  await signIn(page, olga);
  await page.goto('/step-up?return_to=%2Faccount');
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page).toHaveURL('/');

  await page.goto('/step-up?return_to=%2Faccount');
  await page.getByRole('button', { name: 'Sign in again through AuthKit' }).click();
  await expect(page).toHaveURL(/\/user_management\/authorize\?.*login_hint=olga%40acme\.test.*max_age=0/);
});

test('too many attempts without JavaScript: the page says how long to wait', async ({ page }) => {
  await signIn(page, olga);
  await page.goto('/step-up?return_to=%2Fadmin');
  for (let attempt = 0; attempt <= E2E_WINDOWS.stepUpAttempts; attempt++) {
    await codeInput(page).fill(wrongCode(olga));
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(page).toHaveURL(/error=/);
  }
  await expect(page).toHaveURL(/\/step-up\?return_to=%2Fadmin&error=rate_limited&retry_after=\d+$/);
  await expect(stepUpError(page)).toHaveText(
    /^Too many attempts\. For your security, verification is paused\. Try again in \d+ seconds?\.$/,
  );
});
