#!/usr/bin/env node
// `upstash-stand-in [options]` (in this repository `npm run upstash -- …`): the Upstash REST stand-in until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { stopOnSignals } from '../cli-lifecycle';
import { redactedUrl } from './redis-backend';
import { startUpstashStandIn, type UpstashStandIn } from './server';

const USAGE = `Upstash Redis REST stand-in (local, loopback only)

Usage: upstash-stand-in --redis-url redis://127.0.0.1:6379 [options]   forward to a real Redis (or Valkey)
       upstash-stand-in --memory [options]                             keep data in memory (no Lua; see README)
       (in this repository: npm run upstash -- …)

Options:
  --port <n>        port on 127.0.0.1 (env UPSTASH_STANDIN_PORT, default 8079; 0 = any free port)
  --token <t>       bearer token clients must send (env UPSTASH_STANDIN_TOKEN, default "local-dev-token")
  --redis-url <u>   Redis to forward to (env REDIS_URL)
  --memory          in-memory store instead of Redis
  --verbose         log every request
  --json            print one JSON line when ready (pid, url, port, token, backend, env) and nothing else on stdout
  --help

Stops on SIGTERM or SIGINT (exit 0). Exit 2: bad option; 1: could not start (e.g. Redis unreachable, port in use).`;

class UsageError extends Error {}

interface CliOptions {
  port: number;
  token: string;
  redisUrl: string | undefined;
  verbose: boolean;
  json: boolean;
}

/** Flags first, then environment variables; null for `--help`. */
function optionsFrom(argv: string[], env: NodeJS.ProcessEnv): CliOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        token: { type: 'string' },
        'redis-url': { type: 'string' },
        memory: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  const portText = values.port ?? env.UPSTASH_STANDIN_PORT ?? '8079';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be 0–65535, got "${portText}"`);
  if (values.memory && values['redis-url'] !== undefined)
    throw new UsageError('--memory and --redis-url exclude each other');
  const redisUrl = values.memory ? undefined : (values['redis-url'] ?? env.REDIS_URL);
  if (!values.memory && !redisUrl) throw new UsageError('pass --redis-url <url> (or set REDIS_URL), or --memory');
  const token = values.token ?? env.UPSTASH_STANDIN_TOKEN ?? 'local-dev-token';
  if (token === '') throw new UsageError('--token must not be empty');
  return { port, token, redisUrl, verbose: values.verbose, json: values.json };
}

/** The app's environment for this stand-in (what `Redis.fromEnv()` reads). */
function appEnv(standIn: UpstashStandIn): Record<string, string> {
  return { UPSTASH_REDIS_REST_URL: standIn.url, UPSTASH_REDIS_REST_TOKEN: standIn.token };
}

async function main(): Promise<void> {
  let options: CliOptions | null;
  try {
    options = optionsFrom(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`upstash-stand-in: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === null) return void console.log(USAGE);
  const { port, token, redisUrl, verbose, json } = options;
  const standIn = await startUpstashStandIn({ port, token, ...(redisUrl ? { redisUrl } : { memory: true }), verbose });
  // Before saying it is ready: a script may stop it as soon as it reads the line.
  stopOnSignals(standIn);
  const env = appEnv(standIn);
  if (json) {
    const { port: bound } = new URL(standIn.url);
    console.log(
      JSON.stringify({
        ready: true,
        service: 'upstash-stand-in',
        pid: process.pid,
        url: standIn.url,
        port: Number(bound),
        token,
        backend: standIn.backend,
        env,
      }),
    );
  } else {
    const backend = standIn.backend === 'redis' ? `Redis at ${redactedUrl(redisUrl ?? '')}` : 'IN MEMORY';
    const lines = [
      `[upstash stand-in] listening on ${standIn.url} (${backend})`,
      'Point the app at it (.env.local):',
      ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
    ];
    console.log(lines.join('\n'));
  }
}

main().catch((error: unknown) => {
  console.error(`upstash-stand-in: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
