// The `/__emulator/*` routes as async calls: drives an emulator in this process or in another one alike.
import type { ControlSession, ControlUser, SentEmail, StoredAuditEvent } from './control';
import type { EmulatorConfig } from './options';
import type { RecordedTraffic } from './traffic-recorder';
import type { WebhookDelivery } from './webhook-dispatcher';

/** {@link EmulatorControl} over HTTP: the same operations, each a request to a control route. */
export interface RemoteControl {
  reset(): Promise<void>;
  config(): Promise<EmulatorConfig>;
  configure(patch: Partial<EmulatorConfig>): Promise<EmulatorConfig>;
  /** Moves the emulator clock; resolves with the new time in ms. */
  advanceClock(seconds: number): Promise<number>;
  /**
   * Emulator time in ms, without a request: wall time plus the clock offset this client last saw (at connect,
   * reset and advanceClock). Another client moving the same emulator's clock makes it stale.
   */
  now(): number;
  sessions(): Promise<ControlSession[]>;
  users(): Promise<ControlUser[]>;
  deliveries(): Promise<WebhookDelivery[]>;
  /** Resolves when no webhook delivery is pending. */
  webhooksSettled(): Promise<void>;
  auditEvents(): Promise<StoredAuditEvent[]>;
  /** Emails sent (Magic Auth codes), oldest first; `to` filters by address. */
  emails(to?: string): Promise<SentEmail[]>;
  /** Sends an arbitrary event to the configured endpoint; null when none is configured. */
  sendWebhook(event: string, data: Record<string, unknown>): Promise<WebhookDelivery | null>;
  /** Every API-key request answers 429 for `seconds` of emulator time; resolves with the end (ms) or null. */
  throttle(seconds: number): Promise<number | null>;
  /** What the emulator sent since the last take (it must run with `recordTraffic`). */
  takeTraffic(): Promise<RecordedTraffic>;
}

/** A control-route answer that is not 2xx, with the emulator's message. */
export class ControlRouteError extends Error {
  override name = 'ControlRouteError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Calls a control route; resolves with the status and the JSON body. */
export async function controlFetch(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Connects to the emulator at `baseUrl` (loopback: the control routes answer nobody else). */
export async function connectControl(baseUrl: string): Promise<RemoteControl> {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const { status, json } = await controlFetch(baseUrl, method, path, body);
    if (status < 200 || status > 299) {
      throw new ControlRouteError(
        status,
        typeof json.code === 'string' ? json.code : undefined,
        `${method} /__emulator/${path} answered ${status}: ${String(json.message ?? JSON.stringify(json))}`,
      );
    }
    return json as T;
  }
  const health = await call<{ clockOffsetSeconds: number }>('GET', 'health');
  let offsetMs = health.clockOffsetSeconds * 1000;

  return {
    async reset() {
      await call('POST', 'reset');
      offsetMs = 0;
    },
    config: () => call<EmulatorConfig>('GET', 'config'),
    configure: (patch) => call<EmulatorConfig>('POST', 'config', patch),
    async advanceClock(seconds) {
      const moved = await call<{ now: number; offsetSeconds: number }>('POST', 'clock', { advanceSeconds: seconds });
      offsetMs = moved.offsetSeconds * 1000;
      return moved.now;
    },
    now: () => Date.now() + offsetMs,
    sessions: async () => (await call<{ data: ControlSession[] }>('GET', 'sessions')).data,
    users: async () => (await call<{ data: ControlUser[] }>('GET', 'users')).data,
    deliveries: async () => (await call<{ data: WebhookDelivery[] }>('GET', 'deliveries')).data,
    async webhooksSettled() {
      await call('GET', 'deliveries?settled=1');
    },
    auditEvents: async () => (await call<{ data: StoredAuditEvent[] }>('GET', 'audit-events')).data,
    emails: async (to) =>
      (await call<{ data: SentEmail[] }>('GET', to === undefined ? 'emails' : `emails?to=${encodeURIComponent(to)}`))
        .data,
    async sendWebhook(event, data) {
      try {
        return await call<WebhookDelivery>('POST', 'webhooks/send', { event, data });
      } catch (error) {
        if (error instanceof ControlRouteError && error.code === 'webhook_not_configured') return null;
        throw error;
      }
    },
    async throttle(seconds) {
      const { throttledUntil } = await call<{ throttledUntil: string | null }>('POST', 'throttle', { seconds });
      return throttledUntil === null ? null : Date.parse(throttledUntil);
    },
    takeTraffic: () => call<RecordedTraffic>('POST', 'traffic/take'),
  };
}
