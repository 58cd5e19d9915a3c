/**
 * Accessibility, checked by tools: axe-core (WCAG 2.2 AA rule set) finds nothing on the demo's pages and on every
 * state of the step-up page and dialog and on each step of enrollment, at a phone's 375×812 and a desktop's 1280×800; and nothing scrolls
 * sideways at 320 px (WCAG 1.4.10 Reflow).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import {
  codeInput,
  ledgerKey,
  sessionStatus,
  signIn,
  stepUpDialog,
  stepUpError,
  submitCode,
  withRedis,
} from './support/app';
import { E2E_WINDOWS } from './support/env';
import { freshCode, wrongCode } from './support/totp';
import { QUINN_BACKUP, USERS } from './support/users';

const quinn = USERS.quinn;
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const VIEWPORTS = [
  { name: 'phone', width: 375, height: 812 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/** Runs axe at both viewports and at 320 px checks that nothing scrolls sideways; ends at the desktop size. */
async function check(page: Page, what: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  // Elements reaching past the right edge (outside scrolling regions), named for the failure message.
  const tooWide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const inScroller = (e: Element) => e.parentElement?.closest('.table-scroll') !== null;
    return [...document.body.querySelectorAll('*')]
      .filter(
        (e) =>
          e.getBoundingClientRect().right > width + 1 &&
          !inScroller(e) &&
          ![...e.children].some((c) => c.getBoundingClientRect().right > width + 1),
      )
      .slice(0, 5)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`,
      );
  });
  expect.soft(tooWide, `${what}: scrolls sideways at 320 px`).toEqual([]);
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
    const found = violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect.soft(found, `${what} at ${viewport.width}×${viewport.height}`).toEqual([]);
  }
}

/** Ages this session's ledger evidence, as if the step-up happened `hours` ago. */
async function ageEvidence(page: Page, hours: number): Promise<void> {
  const { sessionId } = await sessionStatus(page);
  await withRedis(async (redis) => {
    const entry = JSON.parse((await redis.get(ledgerKey(sessionId))) ?? 'null') as { verifiedAt: number };
    await redis.set(ledgerKey(sessionId), JSON.stringify({ ...entry, verifiedAt: entry.verifiedAt - hours * 3600 }), {
      KEEPTTL: true,
    });
  });
}

test('signed out, signed in, and the step-up page with two factors, a wrong code, a sign-in without MFA', async ({
  page,
}) => {
  await page.goto('/');
  await check(page, '/ signed out');

  await signIn(page, quinn);
  await check(page, '/ signed in');
  await page.goto('/account');
  await check(page, '/account before step-up');

  // The step-up page with two authenticators: a labelled choice, then the code.
  await page.goto('/step-up?return_to=%2Fadmin');
  const choice = page.getByRole('group', { name: 'Authenticator' });
  await expect(choice.getByRole('radio')).toHaveCount(2);
  await expect(choice.getByRole('radio').first()).toBeChecked();
  await expect(codeInput(page)).toHaveAccessibleDescription(
    'Choose an authenticator, then enter the code it shows now.',
  );
  await check(page, 'step-up page, two factors');

  await submitCode(page, wrongCode(quinn));
  await expect(stepUpError(page)).toHaveText(/That code is not right/);
  await check(page, 'step-up page, wrong code');

  await page.goto('/step-up?return_to=%2Fadmin&reauth=1');
  await expect(page.locator('.mfa-reauth-without-mfa')).toBeVisible();
  await check(page, 'step-up page, back from a sign-in without MFA');

  // The second authenticator's code verifies the session.
  await choice.getByRole('radio').nth(1).check();
  await submitCode(page, await freshCode(QUINN_BACKUP));
  await expect(page).toHaveURL('/admin');
  expect((await sessionStatus(page)).policies.admin).toMatchObject({ allowed: true, evidence: { source: 'ledger' } });
});

test('after step-up: /admin, /admin/keys, /audit, /account, /admin/support, adding an authenticator, the step-up dialog', async ({
  page,
}) => {
  await signIn(page, quinn);
  await page.goto('/admin');
  await submitCode(page, await freshCode(quinn));
  await expect(page).toHaveURL('/admin');
  await check(page, '/admin');
  await page.goto('/admin/keys');
  await check(page, '/admin/keys');
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  await expect(page.getByTestId('audit-table')).toBeVisible();
  await check(page, '/audit');
  await page.goto('/account');
  await check(page, '/account after step-up');
  await page.goto('/admin/support');
  await check(page, '/admin/support');

  // Adding a second authenticator (fresh MFA): the first step and the QR code, then cancelled.
  await page.goto('/account/authenticator');
  await expect(page.getByRole('heading', { name: /add Acme Console to your authenticator app/ })).toBeVisible();
  await check(page, 'enrollment, ready');
  await page.getByRole('button', { name: 'Show the QR code' }).click();
  await expect(page.getByRole('heading', { name: /scan, then enter a code/ })).toBeVisible();
  await check(page, 'enrollment, QR code');
  await page.getByRole('button', { name: 'Cancel setup' }).click();
  await expect(page.getByRole('heading', { name: /add Acme Console to your authenticator app/ })).toBeVisible();

  // The dialog, open and after a refusal.
  await page.goto('/admin/keys');
  await ageEvidence(page, 1);
  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await expect(stepUpDialog(page)).toBeVisible();
  await check(page, 'step-up dialog');
  await submitCode(page, wrongCode(quinn));
  await expect(stepUpDialog(page).locator('.mfa-error')).toHaveText(/That code is not right/);
  await check(page, 'step-up dialog, wrong code');
  await stepUpDialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toHaveText('Verification was cancelled, so the key was not rotated.');
  await check(page, '/admin/keys after a cancelled step-up');
});

test('the rate-limited step-up page says how long to wait and passes axe', async ({ page }) => {
  await signIn(page, quinn);
  await page.goto('/step-up?return_to=%2Fadmin');
  for (let i = 0; i <= E2E_WINDOWS.stepUpAttempts; i++) {
    await submitCode(page, wrongCode(quinn));
    await expect(codeInput(page)).toHaveValue(''); // the refusal rendered (the field is emptied)
  }
  await expect(stepUpError(page)).toHaveText(
    /Too many attempts\. For your security, verification is paused\. Try again in \d+ seconds?\./,
  );
  await check(page, 'step-up page, rate-limited');
});

test('the "no factor" step-up page passes axe and reflows', async ({ page }) => {
  await signIn(page, USERS.bob);
  await page.goto('/step-up?return_to=%2Fadmin');
  await expect(page.locator('.mfa-no-factor')).toBeVisible();
  await check(page, 'step-up page, no factor');
});

test('the enrollment page of a user without an authenticator: both email steps', async ({ page }) => {
  await signIn(page, USERS.bob);
  await page.goto('/account/authenticator');
  await expect(page.getByRole('heading', { name: /confirm your email/ })).toBeVisible();
  await check(page, 'enrollment, confirm your email');
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByRole('heading', { name: /enter the code from your email/ })).toBeVisible();
  await check(page, 'enrollment, email code');
});
