/** The same handler as `/[variant]/hello`, wrapped in `withSessionMfa`: the difference is the wrapper's cost. */
import { createServerSessionMfa } from '../../../../../lib/next/with-session-mfa';
import { BENCH_POLICY } from '../../../../shared/bench-config';
import { timed } from '../../../../shared/timed';
import { sessionMfa } from '../../../session-mfa';

export const dynamic = 'force-dynamic';

const { withSessionMfa } = createServerSessionMfa(sessionMfa);

export const GET = timed(
  'handler',
  withSessionMfa(() => Response.json({ ok: true }), BENCH_POLICY),
);
