/**
 * Scenario 4: with the emulator in "tomorrow" mode (tokens carry RFC 8176 `amr`), a sign-in that included TOTP
 * on the hosted page needs no step-up, and a password-only sign-in still does. Also the step-up page's
 * "Sign in again through AuthKit": it passes only when the new token carries MFA claims.
 */
import { expect, test } from '@playwright/test';
import { configureEmulator, fillSignInForm, sessionStatus, signIn } from './support/app';
import { USERS } from './support/users';

const grace = USERS.grace;

test.afterEach(async ({ request }) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'off' });
});

test('tomorrow mode: a hosted sign-in with TOTP yields amr with mfa, so /admin needs no step-up', async ({
  page,
  request,
}) => {
  await configureEmulator(request, { claimsMode: 'tomorrow', signInMfa: 'required' });
  await signIn(page, grace, { totp: true });

  await page.goto('/admin');
  await expect(page).toHaveURL('/admin');
  await expect(page.getByRole('heading', { name: 'Admin' })).toBeVisible();
  const { policies } = await sessionStatus(page);
  expect(policies.admin).toMatchObject({
    allowed: true,
    evidence: { source: 'claims', methods: expect.arrayContaining(['mfa', 'otp']) },
  });

  await page.goto('/account');
  await expect(page.getByTestId('policy-admin')).toContainText('Token claims');
});

test('tomorrow mode: a password-only sign-in still has to step up', async ({ page, request }) => {
  await configureEmulator(request, { claimsMode: 'tomorrow', signInMfa: 'off' });
  await signIn(page, grace);
  expect((await sessionStatus(page)).policies.admin).toMatchObject({ allowed: false, reason: 'no_evidence' });

  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
});

test('"Sign in again through AuthKit" passes with MFA claims, and is explained without them', async ({
  page,
  request,
}) => {
  await signIn(page, grace);
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');

  // Today's tokens carry no MFA claims: a fresh sign-in proves a recent password, not MFA.
  await page.getByRole('button', { name: 'Sign in again through AuthKit' }).click();
  await expect(page).toHaveURL(/\/user_management\/authorize\?.*login_hint=grace%40acme\.test.*max_age=0/);
  await expect(page.getByLabel('Email')).toHaveValue(grace.email);
  await fillSignInForm(page, grace);
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin&reauth=1');
  await expect(page.locator('.mfa-reauth-without-mfa')).toContainText('did not include a second factor');

  // Tomorrow's tokens do: the new session goes straight back to /admin.
  await configureEmulator(request, { claimsMode: 'tomorrow', signInMfa: 'required' });
  await page.getByRole('button', { name: 'Sign in again through AuthKit' }).click();
  await fillSignInForm(page, grace, { totp: true });
  await expect(page).toHaveURL('/admin');
  expect((await sessionStatus(page)).policies.admin).toMatchObject({ allowed: true, evidence: { source: 'claims' } });
});
