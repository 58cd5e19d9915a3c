/** Scenario 3: `GET /api/admin/report` answers 401 signed out, 403 (RFC 9470) before step-up, 200 after. */
import { expect, test } from '@playwright/test';
import { signIn, stepUp } from './support/app';
import { USERS } from './support/users';

const frank = USERS.frank;

test('the report API: 401 signed out', async ({ request }) => {
  const response = await request.get('/api/admin/report');
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: 'unauthenticated', reason: 'not_signed_in' });
});

test('the report API: 403 with the RFC 9470 challenge before step-up, 200 after', async ({ page }) => {
  await signIn(page, frank);

  const refused = await page.request.get('/api/admin/report');
  expect(refused.status()).toBe(403);
  expect(refused.headers()['www-authenticate']).toBe(
    'Bearer error="insufficient_user_authentication", error_description="This session has not completed multi-factor authentication.", max_age=43200',
  );
  expect(await refused.json()).toEqual({
    error: 'insufficient_user_authentication',
    reason: 'no_evidence',
    error_description: 'This session has not completed multi-factor authentication.',
    policy: 'admin-area',
    max_age: 43200,
    step_up_url: expect.stringMatching(/^\/step-up\?return_to=/),
  });
  const rotateRefused = await page.request.post('/api/admin/keys/rotate');
  expect(rotateRefused.status()).toBe(403);
  expect(await rotateRefused.json()).toMatchObject({ reason: 'no_evidence', policy: 'rotate-keys', max_age: 20 });

  await page.goto('/admin');
  await stepUp(page, frank);

  const allowed = await page.request.get('/api/admin/report');
  expect(allowed.status()).toBe(200);
  expect(await allowed.json()).toMatchObject({ organization: 'org_acme', apiKey: { rotations: expect.any(Number) } });
  const rotated = await page.request.post('/api/admin/keys/rotate');
  expect(rotated.status()).toBe(200);
  expect(await rotated.json()).toMatchObject({ key: expect.stringMatching(/^sk_live_/), rotation: expect.any(Number) });
});
