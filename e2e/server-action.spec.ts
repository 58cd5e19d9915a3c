/**
 * Scenario 2: the "Rotate API key" server action from a session without MFA recent enough for it → step-up →
 * back → the action ran exactly once (the server-side rotation counter moved by one, and replaying the return
 * URL runs nothing).
 *
 * The session's MFA is an hour old: enough for the admin area (12 h) whose middleware also guards the action's
 * POST, not for the action (10 min; 20 s here). A session with no MFA at all cannot load /admin/keys, and the
 * middleware refuses its action POSTs with 403 before the action's wrapper could ask for step-up.
 */
import { expect, test } from '@playwright/test';
import { ledgerKey, sessionStatus, signIn, stepUp, withRedis } from './support/app';
import { USERS } from './support/users';

const erin = USERS.erin;

test('a server action without MFA goes through step-up and runs exactly once on return', async ({ page }) => {
  await signIn(page, erin);
  await page.goto('/admin/keys');
  await stepUp(page, erin); // the admin area itself (12 h)
  await expect(page).toHaveURL('/admin/keys');
  const before = Number(await page.getByTestId('rotation-count').textContent());

  // Age the session's evidence by an hour (as if the step-up happened this morning); the page stays open.
  const { sessionId } = await sessionStatus(page);
  await withRedis(async (redis) => {
    const entry = JSON.parse((await redis.get(ledgerKey(sessionId))) ?? 'null') as { verifiedAt: number };
    expect(await redis.set(ledgerKey(sessionId), JSON.stringify({ ...entry, verifiedAt: entry.verifiedAt - 3600 }), { KEEPTTL: true })).toBe('OK');
  });
  expect((await sessionStatus(page)).policies).toMatchObject({ admin: { allowed: true }, rotateKeys: { allowed: false, reason: 'stale' } });

  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await expect(page).toHaveURL(/\/step-up\?return_to=%2Fadmin%2Fkeys%3Fstep_up%3D/);
  const returnTo = new URL(page.url()).searchParams.get('return_to')!;
  expect(returnTo).toMatch(/^\/admin\/keys\?step_up=[0-9a-f-]{36}$/);
  expect(Number(await withRedis((redis) => redis.get(`demo:v1:{org_acme}:api-key:rotations`)))).toBe(before);

  await stepUp(page, erin);
  await expect(page).toHaveURL('/admin/keys'); // the marker is consumed and removed from the address bar
  await expect(page.getByTestId('rotation-result')).toContainText(`rotation #${before + 1}, after verification`);
  await expect(page.getByTestId('new-key')).toHaveText(/^sk_live_[0-9a-f]{36}$/);
  await expect(page.getByTestId('rotation-count')).toHaveText(String(before + 1));

  // Replaying the return URL (reload, Back, a copied link) finds no saved action: nothing runs again.
  await page.goto(returnTo);
  await expect(page).toHaveURL('/admin/keys'); // the hook looked at the marker
  await page.waitForLoadState('networkidle'); // a server action it started would have completed by now
  await expect(page.getByTestId('rotation-result')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('rotation-count')).toHaveText(String(before + 1));
  expect(Number(await withRedis((redis) => redis.get(`demo:v1:{org_acme}:api-key:rotations`)))).toBe(before + 1);
});
