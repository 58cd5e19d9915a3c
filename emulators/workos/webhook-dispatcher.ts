import { iso, type Clock } from './clock';
import { newId } from './ids';
import type { WebhookTarget } from './options';
import { signWebhook } from './webhook-signature';

/** One event sent (or being sent) to the webhook endpoint. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  event: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** HTTP status of the last attempt; null when it never got a response. */
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
  /** The event envelope as sent. */
  payload: Record<string, unknown>;
}

export interface WebhookDispatcher {
  /**
   * Builds the event envelope and starts delivering it; null when no endpoint is configured. `source: 'control'`
   * marks an arbitrary test event (`sendWebhook`), which the observer does not see.
   */
  emit(event: string, data: Record<string, unknown>, source?: 'emulator' | 'control'): WebhookDelivery | null;
  deliveries(): WebhookDelivery[];
  /** Resolves once no delivery is pending (every one delivered or out of attempts). */
  settled(): Promise<void>;
  /** Forgets recorded deliveries and cancels pending ones. */
  clear(): void;
  /** Cancels retries and in-flight requests. */
  close(): void;
}

const ATTEMPT_TIMEOUT_MS = 5_000;

/**
 * Sends signed events, retrying failed attempts after `retryDelaysMs` (bounded: at most
 * `retryDelaysMs.length + 1` attempts). Deliveries run concurrently, so order is not guaranteed —
 * as with WorkOS.
 */
export function createWebhookDispatcher(input: {
  target: () => WebhookTarget | null;
  clock: Clock;
  retryDelaysMs: readonly number[];
  observe?: (payload: Record<string, unknown>) => void;
}): WebhookDispatcher {
  const { target, clock, retryDelaysMs, observe } = input;
  let records: WebhookDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const controllers = new Set<AbortController>();
  let waiters: Array<() => void> = [];

  const pendingCount = (): number => records.filter((r) => r.status === 'pending').length;
  const wakeWaiters = (): void => {
    if (pendingCount() > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  async function attempt(record: WebhookDelivery, body: string, secret: string): Promise<void> {
    record.attempts += 1;
    const controller = new AbortController();
    controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
    try {
      const response = await fetch(record.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'WorkOS-Signature': signWebhook(body, secret, Date.now()),
          'User-Agent': 'WorkOS-Emulator',
        },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      record.responseStatus = response.status;
      record.error = response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      record.responseStatus = null;
      record.error = (error as Error).message;
    } finally {
      clearTimeout(timeout);
      controllers.delete(controller);
    }
    // Cleared or cancelled while in flight: keep what cancelAll recorded.
    if (record.status !== 'pending' || !records.includes(record)) return;
    if (record.error === null) {
      record.status = 'delivered';
    } else {
      const delay = retryDelaysMs[record.attempts - 1];
      if (delay !== undefined) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          void attempt(record, body, secret);
        }, delay);
        timers.add(timer);
        return;
      }
      record.status = 'failed';
    }
    record.completedAt = iso(clock.now());
    wakeWaiters();
  }

  const cancelAll = (): void => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const controller of controllers) controller.abort();
    controllers.clear();
    for (const record of records) {
      if (record.status !== 'pending') continue;
      record.status = 'failed';
      record.error ??= 'cancelled';
      record.completedAt = iso(clock.now());
    }
    wakeWaiters();
  };

  return {
    emit(event, data, source = 'emulator') {
      const payload = { id: newId('event', clock.now()), event, data, created_at: iso(clock.now()), object: 'event' };
      if (source === 'emulator') observe?.(payload);
      const destination = target();
      if (destination === null) return null;
      const record: WebhookDelivery = {
        id: newId('webhook_delivery', clock.now()),
        eventId: payload.id,
        event,
        url: destination.url,
        status: 'pending',
        attempts: 0,
        responseStatus: null,
        error: null,
        createdAt: payload.created_at,
        completedAt: null,
        payload,
      };
      records.push(record);
      void attempt(record, JSON.stringify(payload), destination.secret);
      return record;
    },
    deliveries: () => records.map((r) => ({ ...r })),
    settled: () => (pendingCount() === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    clear() {
      cancelAll();
      records = [];
    },
    close: cancelAll,
  };
}
