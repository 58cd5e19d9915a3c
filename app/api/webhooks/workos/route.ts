import { getWorkOS } from '@workos-inc/authkit-nextjs';
import { upstashWebhookDedupe } from 'authkit-session-mfa/upstash';
import { createWorkosWebhookHandler } from 'authkit-session-mfa/webhooks';
import { sessionMfa } from '@/mfa';
import { auditConfig, upstash } from '@/mfa.config';

let handler: ((request: Request) => Promise<Response>) | undefined;

/**
 * WorkOS webhooks (`authentication.mfa_succeeded` with a `session_id` → ledger entry, only for the session that
 * MFA established; otherwise, or without one → an audit record only; `session.revoked` → ledger entry deleted).
 * Signature-checked, each event handled once.
 * Configure the endpoint in WorkOS (or the emulator's `--webhook-url`) with the secret in WORKOS_WEBHOOK_SECRET.
 */
export async function POST(request: Request): Promise<Response> {
  if (!auditConfig.webhookSecret) return Response.json({ error: 'webhooks_not_configured' }, { status: 503 });
  // Built on first use so `next build` needs no secret.
  handler ??= createWorkosWebhookHandler({
    workos: getWorkOS(),
    secret: auditConfig.webhookSecret,
    sessionMfa,
    dedupe: upstashWebhookDedupe(upstash),
  });
  return handler(request);
}
