/**
 * Support's unlock: pat's wrong codes pause his step-up (even a right code is refused); alice, an admin of his
 * organization, unlocks him on /admin/support; his right code then goes through at once, long before the attempt
 * window would have ended. The unlock is in the audit trail with her name.
 */
import { expect, test } from '@playwright/test';
import { signIn, stepUp, stepUpError, submitCode, withRedis } from './support/app';
import { waitForAudit } from './support/audit';
import { E2E_WINDOWS } from './support/env';
import { freshCode, wrongCode } from './support/totp';
import { USERS } from './support/users';

const alice = USERS.alice;
const pat = USERS.pat;

test('an org admin unlocks a locked-out member, and it is audited', async ({ page, browser }) => {
  // The admin, ready on the support page (the admin area's MFA).
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, alice);
  await admin.goto('/admin/support');
  await stepUp(admin, alice);
  await expect(admin).toHaveURL('/admin/support');
  await expect(admin.getByTestId('member').filter({ hasText: pat.email })).toBeVisible();

  // pat locks himself out.
  await signIn(page, pat);
  await page.goto('/admin');
  for (let i = 0; i < E2E_WINDOWS.stepUpAttempts; i++) await submitCode(page, wrongCode(pat));
  const right = await freshCode(pat, { latest: true });
  await submitCode(page, right);
  await expect(stepUpError(page)).toHaveAttribute('data-code', 'rate_limited');
  const locked = Date.now();

  // From the keyboard: focus stays on the button while it runs and after.
  const unlock = admin.getByRole('button', { name: `Unlock step-up for ${pat.email}` });
  await unlock.focus();
  await admin.keyboard.press('Enter');
  await expect(admin.getByTestId('member').filter({ hasText: pat.email }).getByTestId('unlocked')).toContainText(
    'Unlocked (1 active session)',
  );
  await expect(unlock).toBeFocused();
  // Nothing is left of his count: the limiter's keys for him are gone.
  expect(await withRedis((redis) => redis.exists(`authkit-mfa:v1:{${pat.id}}:step-up:user`))).toBe(0);

  await submitCode(page, right);
  await expect(page).toHaveURL('/admin');
  // Sooner than the attempt window alone would have let him in.
  expect(Date.now() - locked).toBeLessThan(Number.parseInt(E2E_WINDOWS.stepUpWindow, 10) * 1000);

  const [record] = await waitForAudit(
    (all) => all.filter((r) => r.type === 'step_up.unlocked' && r.userId === pat.id),
    1,
    'the unlock is audited',
  );
  expect(record).toMatchObject({
    reason: 'attempts_reset',
    organizationId: 'org_acme',
    target: 'action unlockMember',
    detail: { by: alice.id, sessions: 1 },
  });
});
