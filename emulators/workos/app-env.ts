/** The environment that points authkit-nextjs (and its `getWorkOS()` client) at a local emulator. */
export interface AuthkitEnvOptions {
  /** Emulator port on 127.0.0.1. */
  readonly port: number;
  readonly apiKey: string;
  readonly clientId: string;
  /** authkit's session-cookie password (≥ 32 characters). */
  readonly cookiePassword: string;
  /** The app's `/callback` URL (inlined into the client bundle at build time). */
  readonly redirectUri: string;
}

/** Where the emulator listens and its credentials: what {@link workosApiEnv} needs. */
export interface WorkosApiEnvOptions {
  /** Host as it appears in a URL (`127.0.0.1`, `[::1]`). */
  readonly hostname: string;
  readonly port: number;
  readonly apiKey: string;
  readonly clientId: string;
}

/** The variables that point `@workos-inc/node` (and authkit's client) at an emulator over plain HTTP. */
export function workosApiEnv(options: WorkosApiEnvOptions): Record<string, string> {
  return {
    WORKOS_API_HOSTNAME: options.hostname,
    WORKOS_API_HTTPS: 'false',
    WORKOS_API_PORT: String(options.port),
    WORKOS_API_KEY: options.apiKey,
    WORKOS_CLIENT_ID: options.clientId,
  };
}

/**
 * The `WORKOS_*` variables authkit reads when first imported, for an emulator on loopback over plain HTTP.
 * @example Object.assign(process.env, authkitEnv({ port: emulator.port, apiKey: emulator.apiKey, clientId: emulator.clientId, cookiePassword, redirectUri }))
 */
export function authkitEnv(options: AuthkitEnvOptions): Record<string, string> {
  return {
    ...workosApiEnv({ hostname: '127.0.0.1', port: options.port, apiKey: options.apiKey, clientId: options.clientId }),
    WORKOS_COOKIE_PASSWORD: options.cookiePassword,
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: options.redirectUri,
  };
}
