import { createHmac } from 'node:crypto';

/**
 * The `WorkOS-Signature` header value for `body`, exactly as WorkOS signs webhooks:
 * `t=<ms>, v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. `@workos-inc/node`'s
 * `webhooks.constructEvent` accepts it.
 *
 * @param body - The raw request body, byte for byte as sent.
 * @param secret - The endpoint's signing secret.
 * @param timestampMs - Signing time in milliseconds (WorkOS uses ms, not seconds).
 */
export function signWebhook(body: string, secret: string, timestampMs: number): string {
  const t = String(Math.trunc(timestampMs));
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t}, v1=${v1}`;
}
