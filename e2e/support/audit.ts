/**
 * The audit trail as the e2e tests see it: the app's Redis Stream read directly (the records every sink got),
 * and request tagging — each guarded request a page sends carries its own `x-request-id`, so each decision
 * record can be traced to the one request it decided.
 */
import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import type { AuditRecord } from '../../lib/audit/record';
import { withRedis } from './app';
import { E2E_AUDIT_STREAM_KEY } from './env';

/** Every record of the e2e audit stream, oldest first. */
export async function auditRecords(): Promise<AuditRecord[]> {
  const entries = await withRedis((redis) => redis.xRange(E2E_AUDIT_STREAM_KEY, '-', '+'));
  return entries.map((entry) => JSON.parse(String(entry.message.record)) as AuditRecord);
}

/** Polls the stream until `select` finds at least `count` records; returns what it found then. */
export async function waitForAudit(
  select: (records: AuditRecord[]) => AuditRecord[],
  count: number,
  message: string,
): Promise<AuditRecord[]> {
  let found: AuditRecord[] = [];
  await expect
    .poll(
      async () => {
        found = select(await auditRecords());
        return found.length;
      },
      { message, timeout: 15_000, intervals: [100, 250, 500] },
    )
    .toBeGreaterThanOrEqual(count);
  return found;
}

/** A request a test sent with its own `x-request-id`. */
export interface TaggedRequest {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** A server-action POST (Next's `next-action` header). */
  readonly action: boolean;
}

/** A fresh request id, recognisable in the stream. */
export function newRequestId(): string {
  return `e2e-${randomUUID()}`;
}

/**
 * Gives every request of `page` whose path passes `guarded` (navigations, RSC fetches, server actions) its own
 * `x-request-id` and lists it in the returned array. `allHeaders()`: `headers()` omits the cookie.
 */
export async function tagRequests(page: Page, guarded: (path: string) => boolean): Promise<TaggedRequest[]> {
  const tagged: TaggedRequest[] = [];
  await page.route(
    (url) => guarded(url.pathname),
    async (route) => {
      const request = route.request();
      const headers = await request.allHeaders();
      const requestId = newRequestId();
      tagged.push({
        requestId,
        method: request.method(),
        path: new URL(request.url()).pathname,
        action: 'next-action' in headers,
      });
      await route.continue({ headers: { ...headers, 'x-request-id': requestId } });
    },
  );
  return tagged;
}
