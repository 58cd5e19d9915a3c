/** The WorkOS emulator's API and control routes, as the e2e tests use them. */
import { expect, type APIRequestContext } from '@playwright/test';
import { DEMO_SECRETS } from '../../scripts/demo-env';
import { stack } from './env';

/** One webhook delivery as the emulator recorded it. */
export interface Delivery {
  readonly eventId: string;
  readonly event: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly responseStatus: number | null;
  readonly payload: { readonly id: string; readonly event: string; readonly data: Record<string, unknown> };
}

/** Every delivery so far, after the pending ones settled (the emulator waits for them). */
export async function settledDeliveries(request: APIRequestContext): Promise<Delivery[]> {
  const response = await request.get(`${stack.workosUrl}/__emulator/deliveries?settled=1`, { timeout: 30_000 });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { data: Delivery[] }).data;
}

/** Revokes a session through the WorkOS API (`userManagement.revokeSession`), as an admin or WorkOS itself would. */
export async function revokeSessionAtWorkos(request: APIRequestContext, sessionId: string): Promise<void> {
  const response = await request.post(`${stack.workosUrl}/user_management/sessions/revoke`, {
    headers: { authorization: `Bearer ${DEMO_SECRETS.workosApiKey}` },
    data: { session_id: sessionId },
  });
  expect(response.status()).toBe(200);
}

/**
 * Makes the emulator answer every WorkOS API-key request with 429 and `Retry-After` for `seconds` (0 ends it), as
 * when the environment's API rate limit is exhausted.
 */
export async function throttleWorkos(request: APIRequestContext, seconds: number): Promise<void> {
  const response = await request.post(`${stack.workosUrl}/__emulator/throttle`, { data: { seconds } });
  expect(response.status()).toBe(200);
}
