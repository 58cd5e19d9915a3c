/**
 * Scenario 7: wrong codes until the attempt limit (5 per window; the window is 20 s in the e2e run, 15 minutes
 * in the demo) → a clear rate-limit message; then even the right code is refused until the window has passed.
 */
import { expect, test } from '@playwright/test';
import { codeInput, signIn, stepUpError, submitCode } from './support/app';
import { throttleWorkos } from './support/emulator';
import { E2E_WINDOWS } from './support/env';
import { freshCode, wrongCode } from './support/totp';
import { USERS } from './support/users';

const dana = USERS.dana;
const oscar = USERS.oscar;
const LIMITED = /Too many attempts\. For your security, verification is paused\. Try again in \d+ seconds?\./;

test('wrong codes hit the attempt limit, and a right code is refused until the window passes', async ({ page }) => {
  await signIn(page, dana);
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');

  for (let attempt = 1; attempt <= E2E_WINDOWS.stepUpAttempts; attempt++) {
    await submitCode(page, wrongCode(dana));
    await expect(codeInput(page)).toHaveValue(''); // the form is reset once the refusal has rendered
    await expect(stepUpError(page)).toHaveText(
      'That code is not right. Check your authenticator app and enter the code it shows now.',
    );
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

test('WorkOS throttling (429 + Retry-After) is answered at once with the time to wait, then the step-up works', async ({
  page,
  request,
}) => {
  await signIn(page, oscar);
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
  const code = await freshCode(oscar);
  await throttleWorkos(request, 45);
  try {
    // The step-up's WorkOS client does not retry: had it slept through Retry-After (45 s, three times), this
    // answer would come after the test's timeout.
    await submitCode(page, code);
    await expect(stepUpError(page)).toHaveText(
      /^Too many attempts\. For your security, verification is paused\. Try again in 4[45] seconds\.$/,
    );
    await expect(stepUpError(page)).toHaveAttribute('data-code', 'rate_limited');
    await expect(stepUpError(page)).toHaveAttribute('data-retry-after', /^4[45]$/);
  } finally {
    await throttleWorkos(request, 0);
  }
  await submitCode(page, code);
  await expect(page).toHaveURL('/admin');
});
