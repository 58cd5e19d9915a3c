/**
 * Same-origin return paths. A `return_to` value is honoured only when it is an absolute path on this origin;
 * anything else (other origins, `//host`, `/\host`, schemes, whitespace or control characters, backslashes)
 * falls back, so the step-up page can never be turned into an open redirect. The path is checked again after
 * each percent-decoding a later hop might apply, so `/%09/host`, `/a/..%2F%2Fhost` or `/%252F%252Fhost` fall back too.
 */

/** RFC 3986 path, query and fragment characters only: no whitespace, controls, backslashes or quotes. */
const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/;
/**
 * A path (no query or fragment) as it may read once decoded: the same characters, plus non-ASCII letters, marks
 * and digits (`/caf%C3%A9`); never a control, whitespace, backslash, look-alike slash or invisible character.
 */
const SAFE_DECODED_PATH = /^\/(?![/\\])(?:[A-Za-z0-9\-._~!$&'()*+,;=:@%/]|[\p{L}\p{M}\p{N}])*$/u;
const MAX_LENGTH = 2048;
/** Percent-encodings left after this many decodings mean nothing a real path needs. */
const MAX_DECODINGS = 3;
/** `.` or `..`, each dot possibly percent-encoded, as URL parsers recognise them. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function pathOf(value: string): string {
  const end = value.search(/[?#]/);
  return end === -1 ? value : value.slice(0, end);
}

function isSafePath(path: string): boolean {
  // Checked again after each decoding, so `/%2F/host` fails here once it reads `//host`.
  if (!SAFE_DECODED_PATH.test(path)) return false;
  // Dot segments (`/..//evil`, `/%2e%2e//evil`) normalise to a `//host` path, one re-emitted Location away from
  // another origin. Real return paths come from normalised URLs and never contain them.
  return !path.split('/').some((segment) => DOT_SEGMENT.test(segment));
}

function decoded(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * Returns `value` when it is a safe same-origin path, otherwise `fallback`. Its path must stay safe through
 * every percent-decoding (at most 3; a `%` that does not decode falls back), so an encoded space, control,
 * backslash or slash that could become `//host` after a later decode falls back; the query and fragment are
 * checked only as written.
 * @example safeReturnTo('/admin?tab=keys') // '/admin?tab=keys'
 * @example safeReturnTo('//evil.example') // '/'
 * @example safeReturnTo('/%09/evil.example') // '/'
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !SAFE_PATH.test(value)) return fallback;
  let path: string | null = pathOf(value);
  for (let decodings = 0; path !== null && isSafePath(path); decodings++) {
    if (!path.includes('%')) return value;
    path = decodings < MAX_DECODINGS ? decoded(path) : null;
  }
  return fallback;
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
