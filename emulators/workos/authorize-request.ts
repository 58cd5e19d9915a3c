import type { EmulatorContext } from './context';

/** Query parameters of `/user_management/authorize` the emulator understands and carries through the form. */
export const AUTHORIZE_PARAM_NAMES = [
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'code_challenge',
  'code_challenge_method',
  'login_hint',
  'prompt',
  'max_age',
  'screen_hint',
  'provider',
  'organization_id',
  'connection_id',
  'domain_hint',
  'invitation_token',
] as const;

/** A validated authorize request. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  /** Returned verbatim with the code; null when the client sent none. */
  state: string | null;
  codeChallenge: string | null;
  loginHint: string | null;
  prompt: string | null;
  maxAge: number | null;
  screenHint: string | null;
  organizationId: string | null;
  /** Just the known parameters, to repeat as hidden form fields. */
  params: URLSearchParams;
}

export type AuthorizeParse =
  | { kind: 'ok'; request: AuthorizeRequest }
  /** Cannot be sent back to the client (bad client or redirect URI): show an error page. */
  | { kind: 'fatal'; error: string; description: string }
  /** Sent back to the client as `redirect_uri?error=…&error_description=…&state=…`. */
  | { kind: 'redirect'; location: string };

/** `redirect_uri` with `params` added (and `state` verbatim, when there is one). */
export function redirectWith(redirectUri: string, state: string | null, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (state !== null) url.searchParams.set('state', state);
  return url.toString();
}

function isAllowedRedirect(emu: EmulatorContext, uri: string): boolean {
  if (!/^https?:\/\//i.test(uri) || !URL.canParse(uri)) return false;
  return emu.redirectUris === null || emu.redirectUris.includes(uri);
}

/**
 * Validates an authorize request the way WorkOS does: client and redirect URI first (errors shown
 * as a page), then the rest (errors sent back to the redirect URI, as OAuth requires).
 */
export function parseAuthorizeRequest(emu: EmulatorContext, source: URLSearchParams): AuthorizeParse {
  const get = (name: string): string | null => {
    const value = source.get(name);
    return value === null || value === '' ? null : value;
  };
  const clientId = get('client_id');
  if (clientId === null) return { kind: 'fatal', error: 'invalid_request', description: 'client_id is required.' };
  if (clientId !== emu.clientId)
    return { kind: 'fatal', error: 'invalid_client', description: `Unknown client_id "${clientId}".` };
  const redirectUri = get('redirect_uri');
  if (redirectUri === null)
    return { kind: 'fatal', error: 'invalid_request', description: 'redirect_uri is required.' };
  if (!isAllowedRedirect(emu, redirectUri)) {
    return {
      kind: 'fatal',
      error: 'invalid_redirect_uri',
      description: `redirect_uri "${redirectUri}" is not an allowed redirect URI for this client.`,
    };
  }
  // From here on the redirect URI is trusted, so errors go back to the client.
  const state = source.get('state');
  const back = (error: string, description: string): AuthorizeParse => ({
    kind: 'redirect',
    location: redirectWith(redirectUri, state, { error, error_description: description }),
  });

  if (get('response_type') !== 'code') return back('unsupported_response_type', 'response_type must be "code".');
  const codeChallenge = get('code_challenge');
  const method = get('code_challenge_method');
  if (codeChallenge !== null) {
    if (method !== 'S256') return back('invalid_request', 'Only code_challenge_method=S256 is supported.');
    if (!/^[A-Za-z0-9_-]{43,128}$/.test(codeChallenge))
      return back('invalid_request', 'code_challenge must be 43-128 base64url characters.');
  } else if (method !== null) {
    return back('invalid_request', 'code_challenge_method was given without code_challenge.');
  }
  const provider = get('provider');
  if (provider !== null && provider !== 'authkit')
    return back('invalid_request', `The emulator only serves provider=authkit, not "${provider}".`);
  if (get('connection_id') !== null)
    return back('invalid_request', 'connection_id is not supported by the emulator; use provider=authkit.');
  const organizationId = get('organization_id');
  if (organizationId !== null && !emu.store.organizations.has(organizationId))
    return back('invalid_request', `Organization "${organizationId}" not found.`);
  const maxAgeRaw = get('max_age');
  if (maxAgeRaw !== null && !/^\d+$/.test(maxAgeRaw))
    return back('invalid_request', 'max_age must be a non-negative integer.');
  const prompt = get('prompt');
  // The emulator keeps no browser session, so a sign-in without user interaction is impossible.
  if (prompt === 'none') return back('login_required', 'prompt=none cannot be satisfied: the user must sign in.');

  const params = new URLSearchParams();
  for (const name of AUTHORIZE_PARAM_NAMES) {
    const value = source.get(name);
    if (value !== null) params.set(name, value);
  }
  return {
    kind: 'ok',
    request: {
      clientId,
      redirectUri,
      state,
      codeChallenge,
      loginHint: get('login_hint'),
      prompt,
      maxAge: maxAgeRaw === null ? null : Number(maxAgeRaw),
      screenHint: get('screen_hint'),
      organizationId,
      params,
    },
  };
}
