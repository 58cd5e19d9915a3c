/**
 * Scenario 5: once the step-up is older than the key rotation's window (20 s in the e2e run, through
 * MFA_ROTATE_KEYS_MAX_AGE; 10 minutes in the demo) the rotation asks for step-up again, while /admin
 * (12 hours) still passes. Cancelling that step-up (in the dialog) leaves the key alone; completing it rotates once.
 */
import { expect, test } from '@playwright/test';
import { sessionStatus, signIn, stepUp, stepUpDialog, submitCode, withRedis } from './support/app';
import { freshCode } from './support/totp';
import { USERS } from './support/users';

const ROTATIONS = 'demo:v1:{org_acme}:api-key:rotations';

const heidi = USERS.heidi;

test('a step-up too old for key rotation is still fresh enough for /admin', async ({ page }) => {
  await signIn(page, heidi);
  await page.goto('/admin/keys');
  await stepUp(page, heidi);
  await expect(page).toHaveURL('/admin/keys');

  // Fresh: the rotation runs at once, without a detour.
  const before = Number(await page.getByTestId('rotation-count').textContent());
  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await expect(page.getByTestId('rotation-result')).toContainText(`rotation #${before + 1})`);
  await expect(page).toHaveURL('/admin/keys');

  // Wait for the rotation window to pass (the app's own clock; nothing is faked).
  await expect
    .poll(async () => (await sessionStatus(page)).policies.rotateKeys.reason, {
      message: 'rotate-keys becomes stale',
      timeout: 45_000,
      intervals: [1_000],
    })
    .toBe('stale');
  const { policies } = await sessionStatus(page);
  expect(policies.admin).toMatchObject({ allowed: true, reason: 'verified', evidence: { source: 'ledger' } });

  await page.goto('/admin');
  await expect(page).toHaveURL('/admin');
  expect((await page.request.get('/api/admin/report')).status()).toBe(200);
  const refused = await page.request.post('/api/admin/keys/rotate');
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ reason: 'stale', policy: 'rotate-keys' });

  // The action asks again (in the step-up dialog); the user cancels; the key stays as it was.
  await page.goto('/admin/keys');
  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await expect(stepUpDialog(page)).toBeVisible();
  await stepUpDialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(stepUpDialog(page)).toHaveCount(0);
  await expect(page).toHaveURL('/admin/keys');
  await expect(page.getByRole('status')).toHaveText('Verification was cancelled, so the key was not rotated.');
  await expect(page.getByTestId('rotation-count')).toHaveText(String(before + 1));
  expect(await withRedis((redis) => redis.get(ROTATIONS))).toBe(String(before + 1));

  // Asked again and verified: it runs once.
  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await submitCode(page, await freshCode(heidi));
  await expect(stepUpDialog(page)).toHaveCount(0);
  await expect(page).toHaveURL('/admin/keys');
  await expect(page.getByTestId('rotation-result')).toContainText(`rotation #${before + 2}, after verification`);
  await expect(page.getByTestId('rotation-count')).toHaveText(String(before + 2));
  expect(await withRedis((redis) => redis.get(ROTATIONS))).toBe(String(before + 2));
});
