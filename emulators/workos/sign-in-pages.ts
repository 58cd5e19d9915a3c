import { errorBlock, escapeHtml, hiddenFields, page } from './html';
import { QR_CODE_PLACEHOLDER } from './qr-placeholder';

/** Where the sign-in forms post. */
export const SIGN_IN_SUBMIT_PATH = '/user_management/authorize/submit';

/** The first step: email + password, and "Continue with SSO" for SSO-style users. */
export function renderSignInForm(input: {
  params: URLSearchParams;
  email: string;
  error: string | null;
  signUpRequested: boolean;
}): string {
  const described = input.error === null ? '' : ' aria-describedby="form-error"';
  return page(
    'Sign in',
    `${input.signUpRequested ? '<p class="note">Sign-up is not available in the emulator; sign in with a seeded user.</p>' : ''}
${errorBlock(input.error)}
<form method="post" action="${SIGN_IN_SUBMIT_PATH}">
${hiddenFields(input.params)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email)}"${described}${input.email === '' ? ' autofocus' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password"${described}${input.email === '' ? '' : ' autofocus'}>
<button type="submit" name="intent" value="password">Sign in</button>
<button type="submit" name="intent" value="sso" class="secondary">Continue with SSO</button>
</form>`,
  );
}

function codeInput(error: string | null): string {
  return `<label for="code">Authentication code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus${error === null ? '' : ' aria-describedby="form-error"'}>`;
}

/** The TOTP step for a user who already has a factor. */
export function renderTotpStep(input: { pendingToken: string; email: string; error: string | null }): string {
  return page(
    'Two-factor authentication',
    `<p>Enter the 6-digit code from your authenticator app for <strong>${escapeHtml(input.email)}</strong>.</p>
${errorBlock(input.error)}
<form method="post" action="${SIGN_IN_SUBMIT_PATH}">
<input type="hidden" name="pending_token" value="${escapeHtml(input.pendingToken)}">
${codeInput(input.error)}
<button type="submit" name="intent" value="totp">Verify</button>
</form>`,
  );
}

/** The enrollment step for a user without a factor when MFA is required. */
export function renderEnrollStep(input: {
  pendingToken: string;
  email: string;
  secret: string;
  uri: string;
  error: string | null;
}): string {
  return page(
    'Set up two-factor authentication',
    `<p>Your organization requires two-factor authentication. Add this account to your authenticator app, then enter the 6-digit code it shows.</p>
<img src="${QR_CODE_PLACEHOLDER}" alt="QR code placeholder: use the secret below" width="1" height="1">
<p>Secret: <code id="totp-secret">${escapeHtml(input.secret)}</code></p>
<p>URI: <code id="totp-uri">${escapeHtml(input.uri)}</code></p>
${errorBlock(input.error)}
<form method="post" action="${SIGN_IN_SUBMIT_PATH}">
<input type="hidden" name="pending_token" value="${escapeHtml(input.pendingToken)}">
${codeInput(input.error)}
<button type="submit" name="intent" value="enroll">Verify</button>
</form>`,
  );
}

/** A request the emulator cannot send back to the client (bad client or redirect URI). */
export function renderErrorPage(error: string, description: string): string {
  return page(
    'Sign-in request rejected',
    `<p role="alert"><strong>${escapeHtml(error)}</strong>: ${escapeHtml(description)}</p>`,
  );
}

/** Shown after logout when no `return_to` was given. */
export function renderSignedOutPage(): string {
  return page('Signed out', '<p>Your session has ended.</p>');
}
