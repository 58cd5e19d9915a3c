/**
 * A client-side navigation (next/link) to a protected page without MFA is redirected to step-up by the
 * middleware itself, not refused with JSON and retried as a full page load.
 */
import { expect, test } from '@playwright/test';
import { signIn } from './support/app';
import { USERS } from './support/users';

test('clicking the Admin link without MFA lands on step-up through a middleware redirect', async ({ page }) => {
  await signIn(page, USERS.bob);
  await expect(page.getByTestId('whoami')).toHaveText(USERS.bob.email);

  const adminAnswers: number[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/admin') adminAnswers.push(response.status());
  });

  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
  expect(adminAnswers).toContain(307);
  expect(adminAnswers).not.toContain(403);
});
