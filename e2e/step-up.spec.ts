/** Scenario 1: password-only sign-in → /admin sends alice to step-up → a TOTP from her seed secret → back on /admin. */
import { expect, test } from '@playwright/test';
import { codeInput, sessionStatus, signIn, stepUp, stepUpError } from './support/app';
import { saveScreenshot } from './support/screenshots';
import { USERS } from './support/users';

const alice = USERS.alice;

test('alice steps up with TOTP to reach /admin, and /account shows the evidence', async ({ page }, testInfo) => {
  await signIn(page, alice);
  await expect(page.getByTestId('whoami')).toHaveText(alice.email);
  expect((await sessionStatus(page)).policies.admin).toMatchObject({
    allowed: false,
    reason: 'no_evidence',
    evidence: null,
  });

  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
  await expect(page.getByRole('heading', { name: 'Verify it’s you' })).toBeVisible();
  // The code field is labelled, numeric, autofill-friendly, explains itself and announces its errors.
  const input = codeInput(page);
  await expect(input).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(input).toHaveAttribute('inputmode', 'numeric');
  await expect(input).toHaveAttribute('pattern', '\\s*(?:\\d\\s*){6}'); // six digits; spaces of a pasted "123 456" allowed
  await expect(input).not.toHaveAttribute('maxlength', /.*/);
  await expect(input).toHaveAccessibleDescription(/Open your authenticator app and enter the code it shows for/);
  await expect(stepUpError(page)).toHaveAttribute('role', 'alert');
  await expect(stepUpError(page)).toHaveAttribute('aria-live', 'assertive');
  await expect(page.getByRole('button', { name: 'Sign in again through AuthKit' })).toBeVisible();
  await saveScreenshot(page, testInfo, 'step-up');
  await page.setViewportSize({ width: 375, height: 812 });
  await saveScreenshot(page, testInfo, 'step-up-phone');
  await page.setViewportSize({ width: 1280, height: 720 });

  await stepUp(page, alice);
  await expect(page).toHaveURL('/admin');
  await expect(page.getByRole('heading', { name: 'Admin' })).toBeVisible();
  await expect(page.getByText('MFA verified')).toBeVisible();

  const status = await sessionStatus(page);
  expect(status.policies.admin).toMatchObject({
    allowed: true,
    reason: 'verified',
    evidence: { source: 'ledger', methods: ['otp'] },
  });

  await page.goto('/account');
  await expect(page.getByTestId('account-email')).toHaveText(alice.email);
  await expect(page.getByTestId('session-id')).toContainText('session_…');
  await expect(page.getByTestId('mfa-summary')).toContainText('Verified');
  await expect(page.getByTestId('mfa-summary')).toContainText(
    'just now via authenticator code · evidence: Step-up ledger',
  );
  await expect(page.getByTestId('policy-admin')).toContainText('Satisfied');
  await expect(page.getByTestId('policy-admin')).toContainText('MFA within 12 hours');
  await saveScreenshot(page, testInfo, 'account');
});
