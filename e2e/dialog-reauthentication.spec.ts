/**
 * "Sign in again through AuthKit" from the step-up dialog must leave the page, so it falls back to the
 * full-page round trip of `useStepUp`: the action (a `FormData`) is saved in sessionStorage under a nonce,
 * AuthKit signs the user in again, the step-up page sees MFA claims in the new token and returns to the marked
 * page, and the hook runs the action exactly once with the saved form. Replaying the marked URL runs nothing.
 */
import { expect, test } from '@playwright/test';
import {
  configureEmulator,
  fillSignInForm,
  ledgerKey,
  sessionStatus,
  signIn,
  stepUp,
  stepUpDialog,
  withRedis,
} from './support/app';
import { USERS } from './support/users';

const rita = USERS.rita;
const ROTATIONS = 'demo:v1:{org_acme}:api-key:rotations';
const rotations = () => withRedis(async (redis) => Number(await redis.get(ROTATIONS)));

test.afterEach(async ({ request }) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'off' });
});

test('re-authentication from the dialog leaves the page and runs the saved FormData action once on return', async ({
  page,
  request,
}) => {
  await signIn(page, rita);
  await page.goto('/admin/keys');
  await stepUp(page, rita);
  const { sessionId } = await sessionStatus(page);
  await withRedis(async (redis) => {
    const entry = JSON.parse((await redis.get(ledgerKey(sessionId))) ?? 'null') as { verifiedAt: number };
    await redis.set(ledgerKey(sessionId), JSON.stringify({ ...entry, verifiedAt: entry.verifiedAt - 3600 }), {
      KEEPTTL: true,
    });
  });
  const before = await rotations();

  await page.getByLabel('Reason for the rotation').fill('laptop lost');
  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await expect(stepUpDialog(page)).toBeVisible();

  // Tomorrow's tokens carry MFA claims, so a fresh sign-in with TOTP counts as a step-up.
  await configureEmulator(request, { claimsMode: 'tomorrow', signInMfa: 'required' });
  await stepUpDialog(page).getByRole('button', { name: 'Sign in again through AuthKit' }).click();
  await expect(page).toHaveURL(/\/user_management\/authorize\?.*login_hint=rita%40acme\.test.*max_age=0/);
  expect(await rotations()).toBe(before); // nothing ran before the sign-in

  const returnTo = page.waitForURL(/\/admin\/keys\?step_up=[0-9a-f-]{36}$/);
  await fillSignInForm(page, rita, { totp: true });
  await returnTo; // the step-up page sent the new session back to the marked page
  const markedUrl = page.url();
  await expect(page).toHaveURL('/admin/keys'); // the hook took the saved action and removed the marker
  await expect(page.getByTestId('rotation-result')).toContainText(`rotation #${before + 1}, after verification`);
  await expect(page.getByTestId('rotation-reason')).toHaveText('laptop lost'); // the saved form reached the action
  expect(await rotations()).toBe(before + 1);
  expect((await sessionStatus(page)).policies.rotateKeys).toMatchObject({
    allowed: true,
    evidence: { source: 'claims' },
  });

  // Replaying the marked URL (reload, Back, a copied link) finds no saved action: nothing runs again.
  await page.goto(markedUrl);
  await expect(page).toHaveURL('/admin/keys');
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('rotation-result')).toHaveCount(0);
  expect(await rotations()).toBe(before + 1);
});
