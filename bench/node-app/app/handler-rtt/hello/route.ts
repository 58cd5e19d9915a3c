/**
 * The yardstick for `withSessionMfa`: the least any hand-written check in a handler does — read the session
 * with authkit's `withAuth()` and make one bare GET of its ledger key — and nothing else.
 */
import { withAuth } from '@workos-inc/authkit-nextjs';
import { DEFAULT_KEY_PREFIX, sessionKey } from '../../../../../lib/core/ledger-entry';
import { timed } from '../../../../shared/timed';
import { redis } from '../../../session-mfa';

export const dynamic = 'force-dynamic';

export const GET = timed('handler', async () => {
  const { sessionId } = await withAuth();
  if (sessionId) await redis().get(sessionKey(DEFAULT_KEY_PREFIX, sessionId, 'ledger'));
  return Response.json({ ok: true });
});
