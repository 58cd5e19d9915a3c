/**
 * Audit completeness: every MFA decision taken while kate goes through scenario 1 (the report API refused,
 * /admin → step-up → /admin, the report allowed) and then rotates the API key (the server action and the route
 * handler) has exactly one record in the audit stream, traced to its request by `x-request-id`, with every
 * field an auditor needs; and no record in the stream holds a token, cookie, code or secret.
 *
 * Each guarded request gets its own id: page requests (navigations, RSC fetches, server actions) through route
 * interception, API calls explicitly. The step-up form's POST to its route is tagged too: the ledger write of
 * the step-up carries its id; the form then navigates back to /admin, a request (and decision) of its own.
 */
import { expect, test } from '@playwright/test';
import type { AuditRecord } from '../lib/audit/record';
import { DEMO_SECRETS } from '../scripts/demo-env';
import { sessionStatus, signIn, submitCode } from './support/app';
import { auditRecords, newRequestId, tagRequests, waitForAudit, type TaggedRequest } from './support/audit';
import { settledDeliveries } from './support/emulator';
import { E2E_WEBHOOK_SECRET } from './support/env';
import { freshCode } from './support/totp';
import { USERS } from './support/users';

const kate = USERS.kate;

/** Paths whose requests are tagged: everything an MFA rule or wrapper decides, and the step-up page. */
const TAGGED = /^\/(admin(\/.*)?|api\/admin\/.*|audit|step-up(\/verify)?)$/;

/** The decision targets one request must produce (the step-up page and its route decide nothing). */
function expectedTargets(request: TaggedRequest): string[] {
  if (request.path.startsWith('/step-up')) return [];
  if (request.path.startsWith('/api/')) return [`${request.method} ${request.path}`];
  // The middleware decides every /admin request, action POSTs included; the action's wrapper decides again.
  return [`${request.method} ${request.path}`, ...(request.action ? ['action rotateApiKey'] : [])];
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

test('every decision of scenario 1 plus a key rotation has exactly one complete audit record', async ({
  page,
  context,
  request,
}) => {
  const startedAt = Math.floor(Date.now() / 1000) * 1000; // decision times have whole seconds
  const tagged = await tagRequests(page, (path) => TAGGED.test(path));
  const api: TaggedRequest[] = [];
  const apiCall = async (method: 'GET' | 'POST', path: string) => {
    const requestId = newRequestId();
    api.push({ requestId, method, path, action: false });
    const response = await page.request.fetch(path, { method, headers: { 'x-request-id': requestId } });
    return response.status();
  };

  await signIn(page, kate);
  const { sessionId } = await sessionStatus(page);
  expect(await apiCall('GET', '/api/admin/report')).toBe(403);
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
  const code = await freshCode(kate);
  await submitCode(page, code);
  await expect(page).toHaveURL('/admin');
  expect(await apiCall('GET', '/api/admin/report')).toBe(200);
  await page.goto('/admin/keys');
  const before = Number(await page.getByTestId('rotation-count').textContent());
  await page.getByRole('button', { name: 'Rotate API key' }).click();
  await expect(page.getByTestId('rotation-result')).toBeVisible();
  await expect(page.getByTestId('rotation-count')).toHaveText(String(before + 1)); // the page's refresh is done
  expect(await apiCall('POST', '/api/admin/keys/rotate')).toBe(200);
  const finishedAt = Date.now();

  // Exactly one decision record per (request, target), and none the requests above do not account for.
  const requests = [...tagged, ...api];
  const expected = requests.flatMap((r) => expectedTargets(r).map((target) => ({ requestId: r.requestId, target })));
  // report (403), /admin (→ step-up), /admin after the step-up (the form navigates back), report (200),
  // /admin/keys, the action POST (middleware + wrapper), the page's refresh after it, the rotate API.
  expect(expected.map((e) => e.target).sort()).toEqual(
    [
      'GET /api/admin/report',
      'GET /admin',
      'GET /admin',
      'GET /api/admin/report',
      'GET /admin/keys',
      'POST /admin/keys',
      'action rotateApiKey',
      'GET /admin/keys',
      'POST /api/admin/keys/rotate',
    ].sort(),
  );
  const decisionsOfSession = (records: AuditRecord[]) =>
    records.filter((r) => r.type === 'decision' && r.sessionId === sessionId);
  const decisions = await waitForAudit(
    decisionsOfSession,
    expected.length,
    'a decision record for every guarded request',
  );
  for (const { requestId, target } of expected) {
    expect(
      decisions.filter((r) => r.requestId === requestId && r.target === target),
      `${target} (${requestId})`,
    ).toHaveLength(1);
  }
  expect(decisions).toHaveLength(expected.length);

  // Every field, on every record; the two refusals came before the step-up, everything after it passed.
  const stepUpPost = tagged.find((r) => r.path === '/step-up/verify' && r.method === 'POST');
  expect(stepUpPost).toBeDefined();
  const [firstReport, firstAdmin] = [api[0]!.requestId, tagged.find((r) => r.path === '/admin')!.requestId];
  for (const record of decisions) {
    // rotate-keys' window is E2E_WINDOWS.rotateKeysMaxAge (20 s) in this run.
    const strict = record.target === 'POST /api/admin/keys/rotate' || record.target === 'action rotateApiKey';
    expect(record).toMatchObject({
      id: expect.any(String),
      type: 'decision',
      time: expect.stringMatching(ISO),
      target: expect.any(String),
      sessionId,
      userId: kate.id,
      organizationId: 'org_acme',
      requestId: expect.stringMatching(/^e2e-/),
      policy: strict
        ? { name: 'rotate-keys', maxAge: 20, methods: [], requireAllFactors: false }
        : { name: 'admin-area', maxAge: 43_200, methods: [], requireAllFactors: false },
    });
    expect(Date.parse(record.time)).toBeGreaterThanOrEqual(startedAt);
    expect(Date.parse(record.time)).toBeLessThanOrEqual(finishedAt);
    if (record.requestId === firstReport || record.requestId === firstAdmin) {
      expect(record).toMatchObject({ decision: 'step_up', reason: 'no_evidence' });
      expect(record.evidence).toBeUndefined();
    } else {
      expect(record).toMatchObject({
        decision: 'allow',
        reason: 'verified',
        evidence: { source: 'ledger', verifiedAt: expect.stringMatching(ISO), methods: ['otp'] },
      });
      expect(Date.parse(record.evidence!.verifiedAt!)).toBeGreaterThanOrEqual(startedAt);
    }
  }

  // The step-up's ledger write is recorded once, under the form POST's request id. Its verification went through
  // WorkOS's standalone MFA API, which sends no authentication.mfa_* event: no webhook record appears for kate.
  const [written] = await waitForAudit(
    (records) => records.filter((r) => r.type === 'ledger.recorded' && r.sessionId === sessionId),
    1,
    'the ledger write',
  );
  expect(written).toMatchObject({
    reason: 'step_up_totp',
    userId: kate.id,
    organizationId: 'org_acme',
    requestId: stepUpPost!.requestId,
    evidence: { source: 'ledger:step_up', methods: ['otp'] },
    detail: { factorId: kate.factorId },
  });
  const deliveries = await settledDeliveries(request); // every delivery has been answered (and audited) by now
  expect(
    deliveries.filter((d) => d.event.startsWith('authentication.mfa_') && d.payload.data.user_id === kate.id),
  ).toEqual([]);
  const all = await auditRecords();
  expect(all.filter((r) => r.type === 'ledger.recorded' && r.sessionId === sessionId)).toHaveLength(1);
  expect(all.filter((r) => r.type.startsWith('webhook.') && r.userId === kate.id)).toEqual([]);

  // No secrets anywhere in the stream: not the session cookie, not a code, a TOTP secret, a JWT or a key.
  const cookie = (await context.cookies()).find((c) => c.name === 'wos-session')?.value;
  expect(cookie?.length).toBeGreaterThan(20);
  const text = JSON.stringify(all);
  const secrets = [
    cookie!,
    DEMO_SECRETS.cookiePassword,
    DEMO_SECRETS.workosApiKey,
    DEMO_SECRETS.upstashToken,
    E2E_WEBHOOK_SECRET,
    ...Object.values(USERS).flatMap((u) => (u.totpSecret ? [u.totpSecret] : [])),
  ];
  for (const secret of secrets) expect(text.includes(secret), `a record contains ${secret.slice(0, 6)}…`).toBe(false);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/); // a JWT (access or ID token)
  expect(text).not.toMatch(/Bearer |sk_(test|live)_|wos-session/);
  const keys = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        keys.add(k);
        collect(v);
      }
    }
  };
  collect(all);
  expect([...keys].filter((k) => /token|cookie|secret|password|^code$|otp|jwt/i.test(k))).toEqual([]);
  // kate's code (6 digits) appears in none of her records.
  expect(JSON.stringify(all.filter((r) => r.userId === kate.id))).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
});
