/** How a request must be answered when it is refused. */
export type RequestKind = 'server-action' | 'page' | 'api';

interface RequestLike {
  readonly method: string;
  readonly headers: Headers;
}

/**
 * Classifies a request: a server-action POST (never redirected: a redirect breaks it, the action's own
 * wrapper answers), a page navigation (document load, or the RSC fetch of a client-side navigation;
 * redirected to step-up), or anything else (fetch/API; answered with 403 JSON).
 */
export function requestKind(request: RequestLike): RequestKind {
  const method = request.method.toUpperCase();
  if (method === 'POST' && request.headers.has('next-action')) return 'server-action';
  if (method !== 'GET' && method !== 'HEAD') return 'api';
  const h = request.headers;
  if (h.get('sec-fetch-dest') === 'document' || h.get('rsc') === '1' || h.has('next-router-prefetch')) return 'page';
  // Next strips `rsc` and the router-state headers before middleware runs. The app router's navigation
  // fetches still carry `next-url` (and `x-nextjs-request-id` under `next dev`), so a client-side
  // navigation is redirected like a document load instead of failing on a JSON 403.
  if (h.has('x-nextjs-request-id') || h.has('next-url')) return 'page';
  return h.get('accept')?.includes('text/html') ? 'page' : 'api';
}

/** The path and query a user should come back to, without Next's internal `_rsc` cache-buster. */
export function returnPathOf(url: URL): string {
  const params = new URLSearchParams(url.search);
  params.delete('_rsc');
  const query = params.toString();
  return `${url.pathname}${query ? `?${query}` : ''}`;
}
