import { iso } from './clock';
import type { EmulatorContext } from './context';
import { parseConfigPatch, type EmulatorConfig } from './options';
import { createStore } from './store';
import { currentTotpCode } from './totp';
import type { WebhookDelivery } from './webhook-dispatcher';
import { wireSession } from './wire';

/** A session as the control API shows it: WorkOS's wire shape plus what the token carries. */
export type ControlSession = Record<string, unknown> & {
  auth_time: number;
  auth_time_claim: boolean;
  amr: string[] | null;
  acr: string | null;
};

/** A seeded (or enrolled) user with what a person needs to sign in as them. */
export interface ControlUser {
  id: string;
  email: string;
  password: string | null;
  sso: boolean;
  organizations: Array<{ id: string; role: string }>;
  totpFactors: Array<{ id: string; secret: string; codeNow: string }>;
}

/** An email the emulator "sent" (a Magic Auth code), newest last: what the user would read in their mailbox. */
export interface SentEmail {
  id: string;
  type: 'magic_auth';
  to: string;
  user_id: string;
  code: string;
  created_at: string;
  expires_at: string;
  used: boolean;
}

export interface StoredAuditEvent {
  organization_id: string;
  idempotency_key: string | null;
  received_at: string;
  event: Record<string, unknown>;
}

/** Test and demo controls; the same operations the `/__emulator/*` routes expose. */
export interface EmulatorControl {
  /** Back to the seed and the starting config; clock offset, sessions, deliveries and audit events are cleared. */
  reset(): void;
  config(): EmulatorConfig;
  /** Changes switches; returns the resulting config. @throws {EmulatorOptionError} for a bad value. */
  configure(patch: Partial<EmulatorConfig>): EmulatorConfig;
  /** Moves the emulator clock; returns the new time in ms. */
  advanceClock(seconds: number): number;
  /** Emulator time in ms (compute TOTP codes with it after moving the clock). */
  now(): number;
  sessions(): ControlSession[];
  users(): ControlUser[];
  deliveries(): WebhookDelivery[];
  /** Resolves when no webhook delivery is pending. */
  webhooksSettled(): Promise<void>;
  auditEvents(): StoredAuditEvent[];
  /** Emails sent (Magic Auth codes), oldest first; `to` filters by address (case-insensitive). */
  emails(to?: string): SentEmail[];
  /** Sends an arbitrary event to the configured endpoint; null when none is configured. */
  sendWebhook(event: string, data: Record<string, unknown>): WebhookDelivery | null;
  /**
   * Fault injection: every API-key request answers 429 (`Retry-After`: the seconds left) for the next `seconds` of
   * emulator time, as when the environment's API limit is exhausted; 0 ends it. Returns the end (ms) or null.
   */
  throttle(seconds: number): number | null;
}

/** Builds the control API over an emulator's context. */
export function createControl(emu: EmulatorContext): EmulatorControl {
  return {
    reset() {
      emu.webhooks.clear();
      emu.clock.reset();
      emu.store = createStore(emu.seed, emu.clock.now());
      emu.config = { ...emu.initialConfig };
      emu.throttledUntil = null;
    },
    config: () => ({ ...emu.config }),
    configure(patch) {
      emu.config = { ...emu.config, ...parseConfigPatch(patch) };
      return { ...emu.config };
    },
    advanceClock: (seconds) => emu.clock.advance(seconds),
    now: () => emu.clock.now(),
    sessions: () =>
      [...emu.store.sessions.values()]
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((s) => ({
          ...wireSession(s),
          auth_time: s.authTime,
          auth_time_claim: s.authTimeClaim,
          amr: s.amr,
          acr: s.acr,
          authentication_method: s.authenticationMethod,
        })),
    users: () =>
      [...emu.store.users.values()].map((u) => ({
        id: u.id,
        email: u.email,
        password: u.password,
        sso: u.sso !== null,
        organizations: u.memberships.map((m) => ({ id: m.organizationId, role: m.role })),
        totpFactors: [...emu.store.factors.values()]
          .filter((f) => f.userId === u.id)
          .map((f) => ({ id: f.id, secret: f.secret, codeNow: currentTotpCode(f.secret, emu.clock.now()) })),
      })),
    deliveries: () => emu.webhooks.deliveries(),
    webhooksSettled: () => emu.webhooks.settled(),
    auditEvents: () =>
      emu.store.auditEvents.map((e) => ({
        organization_id: e.organizationId,
        idempotency_key: e.idempotencyKey,
        received_at: iso(e.receivedAt),
        event: e.event,
      })),
    emails: (to) =>
      emu.store.magicAuths
        .filter((m) => to === undefined || m.email === to.trim().toLowerCase())
        .map((m) => ({
          id: m.id,
          type: 'magic_auth',
          to: m.email,
          user_id: m.userId,
          code: m.code,
          created_at: iso(m.createdAt),
          expires_at: iso(m.expiresAt),
          used: m.used,
        })),
    sendWebhook: (event, data) => emu.webhooks.emit(event, data, 'control'),
    throttle(seconds) {
      emu.throttledUntil = seconds > 0 ? emu.clock.now() + seconds * 1000 : null;
      return emu.throttledUntil;
    },
  };
}
