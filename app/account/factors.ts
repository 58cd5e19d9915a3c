import 'server-only';
import { getWorkOS } from '@workos-inc/authkit-nextjs';
import type { FactorView } from './factor-list';

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** The user's enrolled MFA factors for display; `null` when WorkOS cannot be asked right now. */
export async function listFactors(userId: string): Promise<FactorView[] | null> {
  try {
    const factors = await (await getWorkOS().multiFactorAuth.listUserAuthFactors({ userId })).autoPagination();
    return factors.map((factor) => {
      const issuer = factor.totp?.issuer;
      const created = Date.parse(factor.createdAt);
      return {
        id: factor.id,
        label: factor.type === 'totp' ? `Authenticator app${issuer ? ` (${issuer})` : ''}` : factor.type.toUpperCase(),
        added: Number.isNaN(created) ? 'date unknown' : `added ${DATE.format(created)}`,
      };
    });
  } catch {
    return null;
  }
}
