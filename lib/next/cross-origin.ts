const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser request with an unsafe method from another origin: a cross-site request riding the session cookie
 * (CSRF), refused before anything runs. Requests without `Origin` (servers, CLIs) carry no ambient cookie.
 */
export function isCrossOrigin(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true;
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  const host =
    request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() ||
    request.headers.get('host') ||
    new URL(request.url).host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" (sandboxed frames, data: URLs) or garbage
  }
}
