/**
 * Scenario 7: wrong codes until the attempt limit (5 per window; the window is 20 s in the e2e run, 15 minutes
 * in the demo) → a clear rate-limit message; then even the right code is refused until the window has passed.
 */
import { expect, test } from '@playwright/test';
import { codeInput, signIn, stepUpError, submitCode } from './support/app';
import { E2E_WINDOWS } from './support/env';
import { freshCode, wrongCode } from './support/totp';
import { USERS } from './support/users';

const dana = USERS.dana;
const LIMITED = /Too many attempts\. For your security, verification is paused\. Try again in \d+ seconds?\./;

test('wrong codes hit the attempt limit, and a right code is refused until the window passes', async ({ page }) => {
  await signIn(page, dana);
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');

  for (let attempt = 1; attempt <= E2E_WINDOWS.stepUpAttempts; attempt++) {
    await submitCode(page, wrongCode(dana));
    await expect(codeInput(page)).toHaveValue(''); // the form is reset once the refusal has rendered
    await expect(stepUpError(page)).toHaveText('That code is not right. Check your authenticator app and enter the code it shows now.');
    await expect(stepUpError(page)).toHaveAttribute('data-code', 'invalid_code');
  }
  await submitCode(page, wrongCode(dana));
  await expect(stepUpError(page)).toHaveText(LIMITED);
  await expect(stepUpError(page)).toHaveAttribute('data-code', 'rate_limited');

  // The right code, refused: the limit holds whatever is typed.
  const right = await freshCode(dana, { latest: true });
  await submitCode(page, right);
  await expect(stepUpError(page)).toHaveText(LIMITED);
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');

  // Once the window has passed the same right code goes through (refused attempts never reached WorkOS).
  await expect(async () => {
    await submitCode(page, right);
    await expect(page).toHaveURL('/admin', { timeout: 2_000 });
  }).toPass({ timeout: 40_000, intervals: [2_000] });
});
