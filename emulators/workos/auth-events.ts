import type { EmulatorContext } from './context';
import type { UserRecord } from './store';

/** Where a request came from, as WorkOS records it on sessions and events. */
export interface ClientInfo {
  ipAddress: string | null;
  userAgent: string | null;
}

/**
 * Emits `authentication.<kind>_<status>` with WorkOS's event data
 * (`{type, status, ip_address, user_agent, user_id, email}`, plus `sso` / `error` where WorkOS has them, in `extra`).
 */
export function emitAuthenticationEvent(
  emu: EmulatorContext,
  kind: 'password' | 'sso' | 'mfa' | 'magic_auth',
  status: 'succeeded' | 'failed',
  user: UserRecord,
  client: ClientInfo,
  extra: Record<string, unknown> = {},
): void {
  emu.webhooks.emit(`authentication.${kind}_${status}`, {
    type: kind,
    status,
    ip_address: client.ipAddress,
    user_agent: client.userAgent,
    user_id: user.id,
    email: user.email,
    ...extra,
  });
}

/**
 * Emits `authentication.mfa_succeeded` for the MFA step of a sign-in. With `mfaSucceededSessionId` on, the data
 * also carries `session_id`: the session that sign-in created (not a WorkOS field; see the README).
 */
export function emitMfaSucceeded(emu: EmulatorContext, user: UserRecord, client: ClientInfo, sessionId: string): void {
  const extra = emu.config.mfaSucceededSessionId ? { session_id: sessionId } : {};
  emitAuthenticationEvent(emu, 'mfa', 'succeeded', user, client, extra);
}

/** Emits `authentication.mfa_failed` for a wrong, replayed or malformed code at a sign-in's MFA step. */
export function emitMfaFailed(emu: EmulatorContext, user: UserRecord, client: ClientInfo): void {
  emitAuthenticationEvent(emu, 'mfa', 'failed', user, client, {
    error: { code: 'invalid_one_time_code', message: 'The one-time code is invalid.' },
  });
}
