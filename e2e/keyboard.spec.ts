/**
 * Step-up with the keyboard alone, on the page and in the dialog: focus starts in the code field, stays where
 * the user needs it after a refusal (the emptied field, never the page body), a repeated refusal is announced
 * again (a new node in the live region), Escape cancels the dialog, and focus returns to the button that
 * opened it.
 */
import { expect, test, type Page } from '@playwright/test';
import { codeInput, ledgerKey, sessionStatus, signIn, stepUpDialog, stepUpError, withRedis } from './support/app';
import { freshCode, wrongCode } from './support/totp';
import { USERS } from './support/users';

const paul = USERS.paul;

/** Counts the nodes added to the step-up form's live region (each one is announced). */
async function watchAnnouncements(page: Page): Promise<() => Promise<number>> {
  await stepUpError(page).evaluate((region) => {
    const w = window as unknown as { announced: number };
    w.announced = 0;
    new MutationObserver((records) => (w.announced += records.reduce((n, r) => n + r.addedNodes.length, 0))).observe(
      region,
      { childList: true, subtree: true },
    );
  });
  return () => page.evaluate(() => (window as unknown as { announced: number }).announced);
}

test('step-up by keyboard alone: page and dialog', async ({ page }) => {
  await signIn(page, paul);
  await page.goto('/admin/keys');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin%2Fkeys');
  await expect(codeInput(page)).toBeFocused();
  const announced = await watchAnnouncements(page);

  // The same wrong code twice, once with Enter in the field and once with Enter on "Verify".
  const wrong = wrongCode(paul);
  await page.keyboard.type(wrong);
  await page.keyboard.press('Enter');
  await expect(stepUpError(page)).toHaveText(/That code is not right/);
  await expect(codeInput(page)).toBeFocused();
  await expect(codeInput(page)).toHaveValue('');
  await page.keyboard.type(wrong);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Verify', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(announced).toBe(2); // the repeated sentence is a new node: announced again
  await expect(codeInput(page)).toBeFocused();

  await page.keyboard.type(await freshCode(paul));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/admin/keys');

  // In the dialog: the action's own policy refuses (evidence an hour old).
  const { sessionId } = await sessionStatus(page);
  await withRedis(async (redis) => {
    const entry = JSON.parse((await redis.get(ledgerKey(sessionId))) ?? 'null') as { verifiedAt: number };
    await redis.set(ledgerKey(sessionId), JSON.stringify({ ...entry, verifiedAt: entry.verifiedAt - 3600 }), {
      KEEPTTL: true,
    });
  });
  const reason = page.getByLabel('Reason for the rotation');
  await reason.focus();
  await page.keyboard.type('keyboard rotation');
  await page.keyboard.press('Tab');
  const rotate = page.getByRole('button', { name: 'Rotate API key' });
  await expect(rotate).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(stepUpDialog(page)).toBeVisible();
  await expect(codeInput(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(stepUpDialog(page)).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Verification was cancelled, so the key was not rotated.');
  await expect(rotate).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(codeInput(page)).toBeFocused();
  await page.keyboard.type(await freshCode(paul));
  await page.keyboard.press('Enter');
  await expect(stepUpDialog(page)).toHaveCount(0);
  await expect(page.getByTestId('rotation-result')).toContainText('after verification');
  await expect(rotate).toBeFocused();
  await expect(reason).toHaveValue('keyboard rotation');
});
