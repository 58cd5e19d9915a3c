import { withAuth } from '@workos-inc/authkit-nextjs';
import { StepUpProvider } from 'authkit-session-mfa/client';
import 'authkit-session-mfa/step-up.css';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'Acme Console — session MFA demo' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { user, role } = await withAuth();
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <div className="topbar-inner">
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden="true" />
              Acme Console
            </Link>
            {/* No prefetching of protected pages: a prefetch would be an MFA decision (and audit record) nobody asked for. */}
            <nav className="nav" aria-label="Main">
              <Link href="/account" prefetch={false}>
                Account
              </Link>
              <Link href="/admin" prefetch={false}>
                Admin
              </Link>
              <Link href="/admin/keys" prefetch={false}>
                API keys
              </Link>
              {/* Only org admins can read the trail (the page checks again: this link is a convenience, not a control). */}
              {role === 'admin' ? (
                <>
                  <Link href="/audit" prefetch={false}>
                    Audit
                  </Link>
                  <Link href="/admin/support" prefetch={false}>
                    Support
                  </Link>
                </>
              ) : null}
            </nav>
            <div className="whoami">
              {user ? (
                <>
                  <span data-testid="whoami">{user.email}</span>
                  {/* A plain link: sign-out is a full navigation through WorkOS. */}
                  <a href="/logout" className="button secondary">
                    Sign out
                  </a>
                </>
              ) : (
                <a href="/login" className="button">
                  Sign in
                </a>
              )}
            </div>
          </div>
        </header>
        {/* Server actions and API calls run through useStepUp step up in a dialog, without leaving the page. */}
        <StepUpProvider>{children}</StepUpProvider>
      </body>
    </html>
  );
}
