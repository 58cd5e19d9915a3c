/** What a person does in the demo, as Playwright steps; plus the stand-ins' control surfaces. */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { createClient } from 'redis';
import { stack } from './env';
import { freshCode } from './totp';
import type { E2eUser } from './users';

/** Signs in through AuthKit's hosted page (the emulator's); with `totp`, answers its code step too. */
export async function signIn(
  page: Page,
  user: E2eUser,
  options: { totp?: boolean; from?: string } = {},
): Promise<void> {
  await page.goto(options.from ?? '/login');
  await expect(page).toHaveURL(/\/user_management\/authorize/);
  await fillSignInForm(page, user, options);
}

/** Completes the hosted sign-in form the browser is on (e.g. after "Sign in again", where the email is pre-filled). */
export async function fillSignInForm(page: Page, user: E2eUser, options: { totp?: boolean } = {}): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (options.totp) {
    await page.getByLabel('Authentication code').fill(await freshCode(user));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expect(page).not.toHaveURL(/\/user_management\//);
}

/** The step-up page's code field. */
export function codeInput(page: Page) {
  return page.getByLabel('6-digit code');
}

/** Enters `code` on the step-up page (or in the step-up dialog), submits it, and waits for the step-up route's answer. */
export async function submitCode(page: Page, code: string): Promise<void> {
  await codeInput(page).fill(code);
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/step-up/verify',
  );
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await answered;
}

/** On the step-up page: verifies with a fresh code and waits until the page is left. */
export async function stepUp(page: Page, user: E2eUser): Promise<void> {
  await expect(page).toHaveURL(/\/step-up\?/);
  await submitCode(page, await freshCode(user));
  await expect(page).not.toHaveURL(/\/step-up/);
}

/** The step-up form's announced error (empty when there is none). */
export function stepUpError(page: Page) {
  return page.locator('.mfa-error');
}

/** The step-up dialog (open while a page steps up in place). */
export function stepUpDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Verify it’s you' });
}

/** `GET /api/session-mfa` with the page's cookies. */
export async function sessionStatus(page: Page): Promise<SessionStatus> {
  const response = await page.request.get('/api/session-mfa');
  expect(response.status()).toBe(200);
  return (await response.json()) as SessionStatus;
}

/** The JSON of `GET /api/session-mfa`. */
export interface SessionStatus {
  user: { id: string; email: string };
  sessionId: string;
  organizationId: string | null;
  policies: Record<
    'admin' | 'rotateKeys',
    {
      policy: string;
      maxAge: number | null;
      allowed: boolean;
      reason: string;
      evidence: { source: string; verifiedAt: string | null; methods: string[]; ageSeconds: number | null } | null;
    }
  >;
}

/** Changes the emulator's switches (claims mode, sign-in MFA, session_id on mfa_succeeded) through its control route. */
export async function configureEmulator(
  request: APIRequestContext,
  patch: { claimsMode?: 'today' | 'tomorrow'; signInMfa?: 'off' | 'required'; mfaSucceededSessionId?: boolean },
): Promise<void> {
  const response = await request.post(`${stack.workosUrl}/__emulator/config`, { data: patch });
  expect(response.status()).toBe(200);
}

/** Runs `fn` with a node-redis client on the e2e Redis (the same data the app sees through the stand-in). */
export async function withRedis<T>(fn: (redis: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const redis = createClient({ url: stack.redisUrl });
  await redis.connect();
  try {
    return await fn(redis);
  } finally {
    await redis.close();
  }
}

/** The ledger key of a session, as the library writes it. */
export function ledgerKey(sid: string): string {
  return `authkit-mfa:v1:{${sid}}:ledger`;
}
