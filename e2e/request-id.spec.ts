/**
 * Issue 13, finding 3: a client's `x-request-id` reaches the audit trail only when it is a plain id. Every route
 * of the demo that writes an audit record gets each hostile id an HTTP server accepts (6,000 characters, markup,
 * spreadsheet formulas, tabs): the middleware (/admin), the route handlers (report, rotate, factor removal, the
 * step-up form's route), the server action (rotateApiKey), the /audit page and sign-out. Every record of nora's
 * requests must carry a fresh UUID instead, and no record may contain any of the hostile values.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { AuditRecord } from '../lib/audit/record';
import { DEMO_SECRETS } from '../scripts/demo-env';
import { FRESH_REQUEST_ID, HOSTILE_REQUEST_IDS } from '../test/helpers/hostile-request-ids';
import { sessionStatus, signIn, submitCode, codeInput } from './support/app';
import { auditRecords, waitForAudit } from './support/audit';
import { stack } from './support/env';
import { freshCode, wrongCode } from './support/totp';
import { USERS } from './support/users';

const nora = USERS.nora;
const IDS = HOSTILE_REQUEST_IDS.overHttp.map(([, id]) => id);

/** Sends the next hostile id on the page's next request to `path` with `method` (a form post or server action). */
async function withIdOnNext(
  page: Page,
  method: string,
  path: string,
  id: string,
  run: () => Promise<void>,
): Promise<void> {
  let sent = false;
  const matcher = (url: URL) => url.pathname === path;
  await page.route(matcher, async (route) => {
    const request = route.request();
    if (request.method() !== method || sent) return route.continue();
    sent = true;
    await route.continue({ headers: { ...(await request.allHeaders()), 'x-request-id': id } });
  });
  await run();
  await page.unroute(matcher);
  expect(sent, `${method} ${path} carried the hostile id`).toBe(true);
}

/** A new TOTP factor for `userId` through the WorkOS API (as if enrolled elsewhere); returns its id. */
async function addFactor(request: APIRequestContext, userId: string): Promise<string> {
  const response = await request.post(`${stack.workosUrl}/user_management/users/${userId}/auth_factors`, {
    headers: { authorization: `Bearer ${DEMO_SECRETS.workosApiKey}` },
    data: { type: 'totp' },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { authentication_factor: { id: string } }).authentication_factor.id;
}

const noraRecords = async (sids: ReadonlySet<string>) =>
  (await auditRecords()).filter(
    (r) =>
      (r.userId === nora.id || (r.sessionId !== undefined && sids.has(r.sessionId))) && !r.type.startsWith('webhook.'),
  );

test('hostile x-request-id values on every audited route are replaced by fresh ids in the audit trail', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  await signIn(page, nora);
  const { sessionId } = await sessionStatus(page);
  const sids = new Set([sessionId]);
  const api = (method: string, path: string, id: string) =>
    page.request.fetch(path, { method, headers: { accept: 'application/json', 'x-request-id': id } });

  // Before MFA: the middleware, two route handlers (403s), and the step-up form with wrong codes.
  for (const id of IDS) {
    expect((await api('GET', '/admin', id)).status()).toBe(403);
    expect((await api('GET', '/api/admin/report', id)).status()).toBe(403);
    expect((await api('POST', '/api/admin/keys/rotate', id)).status()).toBe(403);
  }
  await page.goto('/step-up?return_to=%2Fadmin%2Fkeys');
  for (const id of IDS.slice(0, 3)) {
    await withIdOnNext(page, 'POST', '/step-up/verify', id, () => submitCode(page, wrongCode(nora)));
    await expect(codeInput(page)).toBeVisible();
  }
  // A right code, with a hostile id too: the ledger write's record.
  await withIdOnNext(page, 'POST', '/step-up/verify', IDS[3]!, async () => {
    await submitCode(page, await freshCode(nora));
    await expect(page).toHaveURL('/admin/keys');
  });

  // After MFA: the server action (middleware + wrapper), the /audit page, factor removals.
  await withIdOnNext(page, 'POST', '/admin/keys', IDS[4]!, async () => {
    await page.getByRole('button', { name: 'Rotate API key' }).click();
    await expect(page.getByTestId('rotation-result')).toBeVisible();
  });
  for (const id of IDS) {
    expect((await page.request.get('/audit', { headers: { 'x-request-id': id } })).status()).toBe(200);
    const factorId = await addFactor(request, nora.id);
    expect((await api('DELETE', `/api/mfa/factors/${factorId}`, id)).status()).toBe(204);
  }

  // Sign-out, once per id (each in a session of its own).
  for (const id of IDS) {
    const other = await (await browser.newContext()).newPage();
    await signIn(other, nora);
    sids.add((await sessionStatus(other)).sessionId);
    await other.request.get('/logout', { headers: { 'x-request-id': id }, maxRedirects: 0 });
    await other.context().close();
  }

  const count = (records: AuditRecord[], type: string, target?: string) =>
    records.filter((r) => r.type === type && (target === undefined || r.target === target)).length;
  const records = await waitForAudit(
    (all) => {
      const mine = all.filter(
        (r) =>
          (r.userId === nora.id || (r.sessionId !== undefined && sids.has(r.sessionId))) &&
          !r.type.startsWith('webhook.'),
      );
      return count(mine, 'ledger.removed', 'GET /logout') >= IDS.length && count(mine, 'factor.deleted') >= IDS.length
        ? mine
        : [];
    },
    1,
    'every audited request has its record',
  );
  const n = IDS.length;
  expect(count(records, 'decision', 'GET /admin')).toBeGreaterThanOrEqual(n);
  expect(count(records, 'decision', 'GET /api/admin/report')).toBeGreaterThanOrEqual(n);
  expect(count(records, 'decision', 'POST /api/admin/keys/rotate')).toBeGreaterThanOrEqual(n);
  expect(count(records, 'decision', 'page /audit')).toBeGreaterThanOrEqual(n);
  expect(count(records, 'decision', 'action rotateApiKey')).toBeGreaterThanOrEqual(1);
  expect(count(records, 'decision', 'DELETE /api/mfa/factors')).toBeGreaterThanOrEqual(n);
  expect(count(records, 'step_up.failed')).toBeGreaterThanOrEqual(3);
  expect(count(records, 'ledger.recorded')).toBeGreaterThanOrEqual(1);
  expect(count(records, 'factor.deleted')).toBe(n);
  expect(count(records, 'ledger.removed', 'GET /logout')).toBe(n);

  // Every one of them carries a fresh id; none holds a hostile value anywhere.
  const kept = (await noraRecords(sids)).filter((r) => !FRESH_REQUEST_ID.test(r.requestId ?? ''));
  expect(
    kept.map((r) => `${r.type} ${r.target ?? ''}: ${JSON.stringify(r.requestId?.slice(0, 40))}`),
    'records that kept a client-chosen id',
  ).toEqual([]);
  const text = JSON.stringify(await auditRecords());
  for (const id of IDS)
    expect(text.includes(JSON.stringify(id).slice(1, -1)), `the stream holds ${JSON.stringify(id.slice(0, 30))}`).toBe(
      false,
    );
});
