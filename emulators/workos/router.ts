import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorContext } from './context';
import type { Reply } from './http';

/**
 * Who may call a route: `public` (browser redirects, JWKS, authenticate — which checks
 * `client_secret` itself), `api` (needs `Authorization: Bearer <apiKey>`), `control` (loopback only).
 */
export type RouteAccess = 'public' | 'api' | 'control';

/** One parsed request, handed to a route. */
export interface EmulatorRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  remoteAddress: string | null;
  rawBody: string;
  /** The body as a JSON object; throws a 400 `WorkosApiError` when malformed. */
  json(): Record<string, unknown>;
  /** The body as `application/x-www-form-urlencoded`. */
  form(): URLSearchParams;
  emu: EmulatorContext;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path template; `:name` segments become `params.name`. */
  path: string;
  access: RouteAccess;
  handle(req: EmulatorRequest): Reply | Promise<Reply>;
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | null;

function matchPath(template: string, pathname: string): Record<string, string> | null {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** Finds the route for a request; `methodNotAllowed` when only the method is wrong. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params === null) continue;
    if (route.method === method) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? { methodNotAllowed: true } : null;
}
