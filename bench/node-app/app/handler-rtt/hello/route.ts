/**
 * The yardstick for `withSessionMfa`: the least any hand-written check in a handler does — read the session
 * with authkit's `withAuth()` and make one bare GET of its ledger key — and nothing else.
 */
import { withAuth } from '@workos-inc/authkit-nextjs';
import { DEFAULT_KEY_PREFIX, scopedKey } from '../../../../../lib/core/keys';
import { timed } from '../../../../shared/timed';
import { redis } from '../../../session-mfa';

export const dynamic = 'force-dynamic';

export const GET = timed('handler', async () => {
  const { sessionId } = await withAuth();
  if (sessionId) await redis().get(scopedKey(DEFAULT_KEY_PREFIX, sessionId, 'ledger'));
  return Response.json({ ok: true });
});
