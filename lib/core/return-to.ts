/**
 * Same-origin return paths. A `return_to` value is honoured only when it is an absolute path on this origin;
 * anything else (other origins, `//host`, `/\host`, schemes, whitespace or control characters, backslashes)
 * falls back, so the step-up page can never be turned into an open redirect.
 */

/** RFC 3986 path, query and fragment characters only: no whitespace, controls, backslashes or quotes. */
const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/;
const MAX_LENGTH = 2048;
/** `.` or `..`, each dot possibly percent-encoded, as URL parsers recognise them. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function pathOf(value: string): string {
  const end = value.search(/[?#]/);
  return end === -1 ? value : value.slice(0, end);
}

/**
 * Returns `value` when it is a safe same-origin path, otherwise `fallback`.
 * @example safeReturnTo('/admin?tab=keys') // '/admin?tab=keys'
 * @example safeReturnTo('//evil.example') // '/'
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !SAFE_PATH.test(value)) return fallback;
  // Percent-encoded slashes or backslashes right after the leading slash could be decoded by a later hop.
  if (/^\/%(2f|5c)/i.test(value)) return fallback;
  // Dot segments (`/..//evil`, `/%2e%2e//evil`) normalise to a `//host` path, one re-emitted Location away from
  // another origin. Real return paths come from normalised URLs and never contain them.
  if (pathOf(value).split('/').some((segment) => DOT_SEGMENT.test(segment))) return fallback;
  return value;
}

/** Default path of the step-up page. */
export const DEFAULT_STEP_UP_PATH = '/step-up';

/**
 * The step-up page URL (a path) carrying where to come back to.
 * @example stepUpPath('/admin/keys') // '/step-up?return_to=%2Fadmin%2Fkeys'
 */
export function stepUpPath(returnTo: string, stepUpPage: string = DEFAULT_STEP_UP_PATH): string {
  return `${stepUpPage}?return_to=${encodeURIComponent(safeReturnTo(returnTo))}`;
}
