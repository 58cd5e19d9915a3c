/**
 * The hand-off between a page that needed step-up and the step-up page, carried in `return_to`:
 * the client hook adds `step_up=<nonce>` to the path it wants to come back to; the step-up page returns to it
 * unchanged after success, or with `step_up_cancelled=1` when the user gives up. Pure and runtime-neutral.
 */

/** Query parameter naming the pending action to retry (a random nonce). */
export const STEP_UP_MARKER_PARAM = 'step_up';
/** Query parameter the step-up page adds when the user cancels. */
export const STEP_UP_CANCELLED_PARAM = 'step_up_cancelled';

const NONCE_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

/** `true` when `value` can be a marker nonce (what `crypto.randomUUID()` produces, among others). */
export function isMarkerNonce(value: unknown): value is string {
  return typeof value === 'string' && NONCE_PATTERN.test(value);
}

function splitPath(path: string): { pathname: string; params: URLSearchParams; hash: string } {
  const hashAt = path.indexOf('#');
  const hash = hashAt === -1 ? '' : path.slice(hashAt);
  const rest = hashAt === -1 ? path : path.slice(0, hashAt);
  const queryAt = rest.indexOf('?');
  return {
    pathname: queryAt === -1 ? rest : rest.slice(0, queryAt),
    params: new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1)),
    hash,
  };
}

function joinPath(pathname: string, params: URLSearchParams, hash: string): string {
  const query = params.toString();
  return `${pathname}${query ? `?${query}` : ''}${hash}`;
}

/**
 * `path` with the marker for `nonce` (replacing any earlier marker).
 * @example withStepUpMarker('/admin/keys?tab=1', 'n0nce-123') // '/admin/keys?tab=1&step_up=n0nce-123'
 */
export function withStepUpMarker(path: string, nonce: string): string {
  const { pathname, params, hash } = splitPath(path);
  params.delete(STEP_UP_CANCELLED_PARAM);
  params.set(STEP_UP_MARKER_PARAM, nonce);
  return joinPath(pathname, params, hash);
}

/** `path` without the marker parameters (what the address bar should show once the marker is consumed). */
export function withoutStepUpMarker(path: string): string {
  const { pathname, params, hash } = splitPath(path);
  params.delete(STEP_UP_MARKER_PARAM);
  params.delete(STEP_UP_CANCELLED_PARAM);
  return joinPath(pathname, params, hash);
}

/** The marker of `search` (a query string), and whether it says the user cancelled; `null` without a valid marker. */
export function readStepUpMarker(search: string): { nonce: string; cancelled: boolean } | null {
  const params = new URLSearchParams(search);
  const nonce = params.get(STEP_UP_MARKER_PARAM);
  if (!isMarkerNonce(nonce)) return null;
  return { nonce, cancelled: params.get(STEP_UP_CANCELLED_PARAM) === '1' };
}

/**
 * Where the step-up page's "Cancel" goes: back to `returnTo` flagged as cancelled when a hook is waiting for
 * it there, otherwise to `fallback` (the page that asked may well be the protected page that sent the user here).
 * `returnTo` must already be a safe same-origin path.
 */
export function cancelledReturnTo(returnTo: string, fallback = '/'): string {
  const { pathname, params, hash } = splitPath(returnTo);
  if (!isMarkerNonce(params.get(STEP_UP_MARKER_PARAM))) return fallback;
  params.set(STEP_UP_CANCELLED_PARAM, '1');
  return joinPath(pathname, params, hash);
}
