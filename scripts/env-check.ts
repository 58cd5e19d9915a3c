/**
 * What `npm run build` and `npm start` need before they run: the app's variables, read as Next reads them
 * (the environment, then `.env*` files). Nothing is filled in here — only `npm run demo` and the test
 * harnesses use the stand-ins' embedded settings — so a deployment that forgets a variable stops at once.
 */

/** Variables the demo app cannot run without, with what each is for. */
export const REQUIRED_ENV: Readonly<Record<string, string>> = {
  WORKOS_API_KEY: 'WorkOS API key',
  WORKOS_CLIENT_ID: 'WorkOS client id',
  WORKOS_COOKIE_PASSWORD: 'seals the session cookie, at least 32 characters',
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'AuthKit callback URL, inlined at build time',
  UPSTASH_REDIS_REST_URL: 'Upstash REST endpoint: MFA ledger, limits, audit stream',
  UPSTASH_REDIS_REST_TOKEN: 'Upstash REST token',
};

/** Problems with `env`, one line each; empty when the app can start. Never echoes a value. */
export function envProblems(env: NodeJS.ProcessEnv): string[] {
  const problems = Object.entries(REQUIRED_ENV)
    .filter(([name]) => !env[name])
    .map(([name, what]) => `${name} is not set (${what})`);
  const password = env.WORKOS_COOKIE_PASSWORD;
  if (password && password.length < 32) problems.push('WORKOS_COOKIE_PASSWORD is shorter than 32 characters');
  return problems;
}
