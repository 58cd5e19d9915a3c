/** What the macro benchmark compares: each variant with the baseline it must be measured against. */

export type AppName = 'edge' | 'node';
export type SessionKind = 'claims' | 'ledger';

/** A variant and its baseline: same app, same session, same route handler. */
export interface Comparison {
  readonly id: string;
  readonly app: AppName;
  readonly label: string;
  readonly baselineLabel: string;
  /** `claims` = `amr` in the token (tomorrow's WorkOS); `ledger` = today's token plus a ledger entry. */
  readonly session: SessionKind;
  readonly baselinePath: string;
  readonly variantPath: string;
  /** Authkit plus one bare ledger GET: "one round trip", measured in the same runtime with the same client. */
  readonly roundTripPath?: string;
  /** What the yardstick at `roundTripPath` does, for the report. */
  readonly roundTripLabel?: string;
  /** Redis round trips per request the variant may add (target). */
  readonly maxRedisCommands: 0 | 1;
}

/** Bench app directories, relative to the project root. */
export const APP_DIRS: Readonly<Record<AppName, string>> = { edge: 'bench/edge-app', node: 'bench/node-app' };

export const COMPARISONS: readonly Comparison[] = [
  {
    id: 'edge-claims',
    app: 'edge',
    label: 'Edge middleware, claims path',
    baselineLabel: 'authkitMiddleware()',
    session: 'claims',
    baselinePath: '/base/hello',
    variantPath: '/mfa/hello',
    maxRedisCommands: 0,
  },
  {
    id: 'edge-ledger',
    app: 'edge',
    label: 'Edge middleware, ledger via @upstash/redis',
    baselineLabel: 'authkitMiddleware()',
    session: 'ledger',
    baselinePath: '/base/hello',
    variantPath: '/mfa/hello',
    roundTripPath: '/rtt/hello',
    roundTripLabel: 'authkit() + one bare GET in the middleware',
    maxRedisCommands: 1,
  },
  {
    id: 'node-claims',
    app: 'node',
    label: 'Node proxy.ts, claims path',
    baselineLabel: 'authkitProxy()',
    session: 'claims',
    baselinePath: '/base/hello',
    variantPath: '/mfa/hello',
    maxRedisCommands: 0,
  },
  {
    id: 'node-ledger',
    app: 'node',
    label: 'Node proxy.ts, ledger via node-redis',
    baselineLabel: 'authkitProxy()',
    session: 'ledger',
    baselinePath: '/base/hello',
    variantPath: '/mfa/hello',
    roundTripPath: '/rtt/hello',
    roundTripLabel: 'authkit() + one bare GET in the proxy',
    maxRedisCommands: 1,
  },
  {
    id: 'node-wrapped',
    app: 'node',
    label: 'withSessionMfa route handler, ledger via node-redis',
    baselineLabel: 'same handler unwrapped',
    session: 'ledger',
    baselinePath: '/base/hello',
    variantPath: '/wrapped/hello',
    // A handler cannot check anything without reading the session: authkit's withAuth() is part of the yardstick.
    roundTripPath: '/handler-rtt/hello',
    roundTripLabel: 'withAuth() + one bare GET in the handler',
    maxRedisCommands: 1,
  },
];
