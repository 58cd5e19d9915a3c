/**
 * The "MFA for the whole session" recipe, on the second app configuration of the run (`MFA_WHOLE_SESSION=1`, SSO
 * organizations trusted): the step-up runs right after sign-in, once, and then every privileged route answers for
 * the session's life; a session without it gets nowhere but sign-in/out, step-up and enrollment. Globex (SSO)
 * members whose IdP reports MFA are not asked again.
 */
import { expect, test, type Page } from '@playwright/test';
import { configureEmulator, signIn, stepUp } from './support/app';
import { E2E_WHOLE_SESSION_URL as APP } from './support/env';
import { USERS } from './support/users';

const sara = USERS.sara;

/** Every time the browser loads the step-up page (document requests: posting its form is not a new prompt). */
function countPrompts(page: Page): () => number {
  let prompts = 0;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.method() === 'GET' && new URL(request.url()).pathname === '/step-up')
      prompts += 1;
  });
  return () => prompts;
}

test('sign-in, one prompt, then every privileged route for the session’s life', async ({ page }) => {
  const prompts = countPrompts(page);
  await signIn(page, sara, { from: `${APP}/login` });
  // The first page after sign-in is already the step-up.
  await expect(page).toHaveURL(`${APP}/step-up?return_to=%2F`);
  await stepUp(page, sara);
  await expect(page).toHaveURL(`${APP}/`);

  for (const path of ['/account', '/admin', '/admin/keys', '/admin/support', '/audit', '/']) {
    await page.goto(`${APP}${path}`);
    await expect(page).toHaveURL(`${APP}${path}`);
  }
  expect((await page.request.get(`${APP}/api/admin/report`)).status()).toBe(200);
  const status = await page.request.get(`${APP}/api/session-mfa`);
  expect(status.status()).toBe(200);
  expect(prompts()).toBe(1);
});

test('a session that has not passed the step-up reaches only sign-in/out, the step-up and enrollment', async ({
  page,
}) => {
  await signIn(page, sara, { from: `${APP}/login` });
  await expect(page).toHaveURL(`${APP}/step-up?return_to=%2F`);
  for (const path of ['/', '/account', '/audit', '/admin']) {
    await page.goto(`${APP}${path}`);
    await expect(page).toHaveURL(`${APP}/step-up?return_to=${encodeURIComponent(path)}`);
  }
  const api = await page.request.get(`${APP}/api/admin/report`, { headers: { accept: 'application/json' } });
  expect(api.status()).toBe(403);
  expect(api.headers()['www-authenticate']).toContain('insufficient_user_authentication');
  await page.goto(`${APP}/account/authenticator`);
  await expect(page).toHaveURL(`${APP}/account/authenticator`);
});

test.describe('SSO organizations (configured as trusted)', () => {
  test.afterEach(async ({ request }) => configureEmulator(request, { claimsMode: 'today' }));

  test('carol, whose IdP reports MFA, is not asked again', async ({ page, request }) => {
    await configureEmulator(request, { claimsMode: 'tomorrow' });
    const prompts = countPrompts(page);
    await page.goto(`${APP}/login`);
    await page.getByLabel('Email').fill('carol@globex.test');
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await expect(page).toHaveURL(`${APP}/`);
    for (const path of ['/account', '/admin', '/audit']) {
      await page.goto(`${APP}${path}`);
      await expect(page).toHaveURL(`${APP}${path}`);
    }
    expect(prompts()).toBe(0);
  });
});
