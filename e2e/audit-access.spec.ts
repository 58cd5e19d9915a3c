/**
 * `/audit`: org admins only. alice (admin) finds the link, steps up (the page needs the admin area's 12 hours)
 * and sees her organization's records, filterable by user and decision; bob (member) gets the 403 notice and
 * no link.
 */
import { expect, test } from '@playwright/test';
import { sessionStatus, signIn, stepUp } from './support/app';
import { waitForAudit } from './support/audit';
import { USERS } from './support/users';

const { alice, bob } = USERS;

test('bob (member) sees the 403 notice, alice (admin) sees the records and filters them', async ({ browser }) => {
  // bob: no Audit link, a 403 notice, and a refused /admin (a step_up record of his for alice to find).
  const bobPage = await (await browser.newContext()).newPage();
  await signIn(bobPage, bob);
  await expect(bobPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' })).toHaveCount(0);
  await bobPage.goto('/audit');
  await expect(bobPage.getByTestId('audit-forbidden')).toHaveText(
    '403 — Forbidden. Only organization admins can read the audit trail.',
  );
  await expect(bobPage.getByTestId('audit-table')).toHaveCount(0);
  const bobSid = (await sessionStatus(bobPage)).sessionId;
  await bobPage.goto('/admin');
  await expect(bobPage).toHaveURL('/step-up?return_to=%2Fadmin');
  await waitForAudit(
    (records) => records.filter((r) => r.type === 'decision' && r.sessionId === bobSid && r.decision === 'step_up'),
    1,
    "bob's refusal is in the stream",
  );
  await bobPage.context().close();

  const page = await (await browser.newContext()).newPage();
  await signIn(page, alice);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await stepUp(page, alice);
  await expect(page).toHaveURL('/audit');
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  // Her own refusal that sent her to step-up is listed (this render's own decision is written after it).
  await expect(
    rows.filter({ hasText: 'page /audit' }).filter({ hasText: alice.id }).filter({ hasText: 'step_up' }).first(),
  ).toBeVisible();
  const times = await rows.locator('td:first-child').allTextContents();
  expect(times.length).toBeGreaterThan(1);
  expect([...times].sort().reverse()).toEqual(times); // newest first

  // Filter by user: only bob's records, his refusal among them.
  await page.getByLabel('User id').fill(bob.id);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/\/audit\?user=user_bob/);
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) await expect(row).toContainText(bob.id);
  await expect(rows.filter({ hasText: 'GET /admin' }).filter({ hasText: 'step_up' }).first()).toBeVisible();

  // …and by decision: bob's step_up records only; then "allow" for everyone: no step_up or deny left.
  await page.getByLabel('Decision').selectOption('step_up');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/decision=step_up/);
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) {
    await expect(row.locator('td').nth(1)).toHaveText('step_up');
    await expect(row).toContainText(bob.id);
  }
  await page.getByLabel('User id').fill('');
  await page.getByLabel('Decision').selectOption('allow');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/decision=allow/);
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) await expect(row.locator('td').nth(1)).toHaveText('allow');
  await expect(rows.filter({ hasText: bob.id })).toHaveCount(0);
  await page.context().close();
});
