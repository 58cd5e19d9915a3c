/**
 * Scenario 2: the "Rotate API key" server action — a `FormData` action — from a session whose MFA is not recent
 * enough → the step-up dialog opens on the page → a code → the action ran exactly once, with the same form, and
 * what the user had typed is still in the field. The page is never left.
 *
 * Two ways to be refused: by the action's own policy (its wrapper returns a step-up result: MFA an hour old is
 * enough for the admin area's 12 h, not for the action's 10 min — 20 s here), and by the middleware's rule for
 * the admin area (MFA 13 h old: the middleware answers the action's POST with 403 before the action runs).
 */
import { expect, test, type Page, type Response, type TestInfo } from '@playwright/test';
import {
  codeInput,
  ledgerKey,
  sessionStatus,
  signIn,
  stepUp,
  stepUpDialog,
  submitCode,
  withRedis,
} from './support/app';
import { saveScreenshot } from './support/screenshots';
import { freshCode } from './support/totp';
import { USERS, type E2eUser } from './support/users';

const ROTATIONS = 'demo:v1:{org_acme}:api-key:rotations';
const rotations = () => withRedis(async (redis) => Number(await redis.get(ROTATIONS)));

/** Signs in, steps up for the admin area, opens /admin/keys, then ages this session's evidence by `hours`. */
async function keysPageWithEvidenceAged(page: Page, user: E2eUser, hours: number): Promise<void> {
  await signIn(page, user);
  await page.goto('/admin/keys');
  await stepUp(page, user);
  await expect(page).toHaveURL('/admin/keys');
  const { sessionId } = await sessionStatus(page);
  await withRedis(async (redis) => {
    const entry = JSON.parse((await redis.get(ledgerKey(sessionId))) ?? 'null') as { verifiedAt: number };
    expect(
      await redis.set(ledgerKey(sessionId), JSON.stringify({ ...entry, verifiedAt: entry.verifiedAt - hours * 3600 }), {
        KEEPTTL: true,
      }),
    ).toBe('OK');
  });
}

/** Every answer to a server-action POST the page sends to /admin/keys. */
function actionAnswers(page: Page): Response[] {
  const answers: Response[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (
      request.method() === 'POST' &&
      new URL(request.url()).pathname === '/admin/keys' &&
      request.headers()['next-action']
    )
      answers.push(response);
  });
  return answers;
}

/** Types a reason, submits the form, and steps up in the dialog; checks nothing ran before the code. */
async function rotateThroughDialog(page: Page, user: E2eUser, before: number, screenshots?: TestInfo): Promise<void> {
  const reason = page.getByLabel('Reason for the rotation');
  await reason.fill('contractor offboarded');
  await page.getByRole('button', { name: 'Rotate API key' }).click();

  const dialog = stepUpDialog(page);
  await expect(dialog).toBeVisible();
  await expect(codeInput(page)).toBeFocused(); // focus moved into the dialog
  await expect(page).toHaveURL('/admin/keys'); // the page was not left
  expect(await rotations()).toBe(before); // nothing ran before the code
  if (screenshots) {
    await saveScreenshot(page, screenshots, 'step-up-dialog', { viewport: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await saveScreenshot(page, screenshots, 'step-up-dialog-phone', { viewport: true });
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  await submitCode(page, await freshCode(user));
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('rotation-result')).toContainText(`rotation #${before + 1}, after verification`);
  await expect(page.getByTestId('new-key')).toHaveText(/^sk_live_[0-9a-f]{36}$/);
  await expect(reason).toHaveValue('contractor offboarded'); // unsaved page state survived
  await expect(page.getByRole('button', { name: 'Rotate API key' })).toBeFocused(); // focus back where it was
  await expect(page.getByTestId('rotation-count')).toHaveText(String(before + 1));
  await expect(page.getByTestId('rotation-reason')).toHaveText('contractor offboarded'); // the same FormData ran
  expect(await rotations()).toBe(before + 1);
}

test('a FormData action refused by its own policy steps up in a dialog and runs exactly once', async ({
  page,
}, testInfo) => {
  const erin = USERS.erin;
  await keysPageWithEvidenceAged(page, erin, 1);
  expect((await sessionStatus(page)).policies).toMatchObject({
    admin: { allowed: true },
    rotateKeys: { allowed: false, reason: 'stale' },
  });
  const before = await rotations();
  const answers = actionAnswers(page);

  await rotateThroughDialog(page, erin, before, testInfo);
  // Two POSTs of the action: the one answered with a step-up result, and the one retry.
  expect(answers.map((r) => r.status())).toEqual([200, 200]);

  // Nothing was saved for a later page load: a reload runs nothing.
  await page.reload();
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('rotation-result')).toHaveCount(0);
  expect(await rotations()).toBe(before + 1);
  expect(answers).toHaveLength(2);
});

test('a FormData action refused by the middleware (the admin area’s 12 h passed with the tab open) steps up the same way', async ({
  page,
}) => {
  const nina = USERS.nina;
  await keysPageWithEvidenceAged(page, nina, 13);
  expect((await sessionStatus(page)).policies.admin).toMatchObject({ allowed: false, reason: 'stale' });
  const before = await rotations();
  const answers = actionAnswers(page);

  await rotateThroughDialog(page, nina, before);
  // The middleware refused the first POST (plain text, so Next's client hands the hook its body), then let the retry through.
  expect(answers.map((r) => r.status())).toEqual([403, 200]);
  expect(answers[0]!.headers()['content-type']).toBe('text/plain');
  expect(await answers[0]!.text()).toMatch(
    /^authkit-session-mfa:step_up_required:v1 \{.*"policy":"admin-area".*"stepUpUrl":"\/step-up\?return_to=%2Fadmin%2Fkeys"/,
  );

  // The header's links were prefetched while the admin area was refused: the step-up must not leave those answers
  // (redirects to the step-up page) in the client router, or the next click would prompt again.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page).toHaveURL('/admin');
});
