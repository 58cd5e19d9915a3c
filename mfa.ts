/** The demo's server-side session-MFA helpers (route handlers, server actions, pages). */
import 'server-only';
import { getWorkOS } from '@workos-inc/authkit-nextjs';
import { after } from 'next/server';
import { createWorkosAuditLogSink } from 'authkit-session-mfa/audit';
import { createSessionMfa } from 'authkit-session-mfa';
import { createServerSessionMfa } from 'authkit-session-mfa/server';
import { auditConfig, auditSinks, claimOptions, edgeLedger } from './mfa.config';

/** Audit writes run after the response is sent (Next's `after`); outside a request (scripts) right away. */
function afterResponse(task: Promise<void>): void {
  try {
    after(() => task);
  } catch {
    void task;
  }
}

/** The server engine: the middleware's ledger and sinks, plus WorkOS Audit Logs when enabled. */
export const sessionMfa = createSessionMfa({
  ledger: edgeLedger,
  claims: claimOptions,
  audit: auditConfig.workosAuditLogs ? [...auditSinks, createWorkosAuditLogSink({ workos: getWorkOS() })] : auditSinks,
  defer: afterResponse,
});
export const { withSessionMfa, requireSessionMfa, getSessionMfaStatus } = createServerSessionMfa(sessionMfa);
