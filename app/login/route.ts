import { getSignInUrl } from '@workos-inc/authkit-nextjs';
import { safeReturnTo } from 'authkit-session-mfa';
import { redirect } from 'next/navigation';
import { redirectUri } from '@/mfa.config';
import type { NextRequest } from 'next/server';

/** Sends the browser to AuthKit's hosted sign-in; `?return_to=/path` comes back there afterwards. */
export async function GET(request: NextRequest) {
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get('return_to'));
  redirect(await getSignInUrl({ returnTo, ...(redirectUri ? { redirectUri } : {}) }));
}
