/**
 * Removing a factor from /account: it needs MFA within 10 minutes, so from a session without it the "Remove"
 * request is refused with the RFC 9470 403, the user steps up in the dialog, and the removal runs exactly once;
 * the evidence the factor proved for this session is revoked with it.
 */
import { expect, test } from '@playwright/test';
import { ledgerKey, sessionStatus, signIn, stepUpDialog, submitCode, withRedis } from './support/app';
import { freshCode } from './support/totp';
import { waitForAudit } from './support/audit';
import { USERS } from './support/users';

const mia = USERS.mia;

test('Remove goes through step-up, deletes the factor once and revokes the evidence it proved', async ({ page }) => {
  await signIn(page, mia);
  await page.goto('/account');
  const factors = page.getByTestId('factor');
  await expect(factors).toHaveCount(1);
  await expect(factors).toContainText('Authenticator app');
  const remove = factors.getByRole('button', { name: 'Remove' });
  await expect(remove).toHaveAccessibleDescription(/Authenticator app/);

  // Asked to confirm first; "Keep it" leaves everything alone.
  await remove.click();
  await factors.getByRole('button', { name: 'Keep it' }).click();
  await expect(factors.getByRole('button', { name: 'Remove' })).toBeVisible();

  await factors.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('group', { name: /Confirm removing/ })).toContainText('Your only authenticator');
  const refused = page.waitForResponse(
    (r) => r.request().method() === 'DELETE' && r.url().includes(`/api/mfa/factors/${mia.factorId}`),
  );
  await page.getByRole('button', { name: 'Confirm removal' }).click();
  expect((await refused).status()).toBe(403);
  await expect(stepUpDialog(page)).toBeVisible();
  await expect(page).toHaveURL('/account');

  const deleted = page.waitForResponse(
    (r) => r.request().method() === 'DELETE' && r.url().includes(`/api/mfa/factors/${mia.factorId}`),
  );
  await submitCode(page, await freshCode(mia));
  expect((await deleted).status()).toBe(204);
  await expect(stepUpDialog(page)).toHaveCount(0);
  await expect(page).toHaveURL('/account');
  await expect(page.getByTestId('factor-outcome')).toBeFocused(); // focus is not lost with the removed button
  await expect(page.getByRole('status')).toHaveText(
    'Authenticator removed after verification. MFA evidence it provided for your sessions was revoked.',
  );
  await expect(page.getByTestId('no-factors')).toBeVisible();
  await expect(page.getByTestId('mfa-summary')).toContainText('Not verified in this session');

  const { sessionId, policies } = await sessionStatus(page);
  expect(policies.admin).toMatchObject({ allowed: false, reason: 'no_evidence' });
  expect(await withRedis((redis) => redis.exists(ledgerKey(sessionId)))).toBe(0);
  const [factorDeleted] = await waitForAudit(
    (records) => records.filter((r) => r.type === 'factor.deleted' && r.userId === mia.id),
    1,
    'the deletion is audited',
  );
  expect(factorDeleted).toMatchObject({
    sessionId: sessionId,
    reason: 'user_deleted_factor',
    target: 'DELETE /api/mfa/factors',
    detail: { factorId: mia.factorId },
  });
  const [removed] = await waitForAudit(
    (records) => records.filter((r) => r.type === 'ledger.removed' && r.sessionId === sessionId),
    1,
    'the revocation is audited',
  );
  expect(removed).toMatchObject({ reason: 'factor_deleted', userId: mia.id, detail: { factorId: mia.factorId } });

  // A reload finds no saved action: nothing runs again, and the step-up page now says there is no factor.
  await page.reload();
  await expect(page.getByTestId('no-factors')).toBeVisible();
  await page.goto('/admin');
  await expect(page.locator('.mfa-no-factor')).toBeVisible();
});
