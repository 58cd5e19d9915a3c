/** The protected route every variant hits: as cheap as a handler gets, so the middleware's cost dominates. */
import { timed } from '../../../../shared/timed';

export const dynamic = 'force-dynamic';

export const GET = timed('handler', () => Response.json({ ok: true }));
