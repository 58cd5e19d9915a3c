import { parseArgs } from 'node:util';
import { startUpstashStandIn } from './server';

const USAGE = `Upstash REST stand-in (local, loopback only)

  npm run upstash -- --redis-url redis://127.0.0.1:6379   forward to a real Redis
  npm run upstash -- --memory                             keep data in memory (demo only)

Options:
  --port <n>        port on 127.0.0.1 (default 8079; 0 = any free port)
  --token <t>       bearer token clients must send (default $UPSTASH_STANDIN_TOKEN or "local-dev-token")
  --redis-url <u>   Redis to forward to (default $REDIS_URL)
  --memory          in-memory store instead of Redis
  --verbose         log every request
  --help`;

/** Parses argv and starts the stand-in until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8079' },
      token: { type: 'string' },
      'redis-url': { type: 'string' },
      memory: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
  const redisUrl = values.memory ? undefined : (values['redis-url'] ?? process.env.REDIS_URL);
  if (!values.memory && !redisUrl) throw new Error(`Pass --redis-url <url> (or set REDIS_URL), or --memory.\n\n${USAGE}`);
  const token = values.token ?? process.env.UPSTASH_STANDIN_TOKEN ?? 'local-dev-token';
  const standIn = await startUpstashStandIn({ port, token, ...(redisUrl ? { redisUrl } : { memory: true }), verbose: values.verbose });
  console.log(`[upstash stand-in] listening on ${standIn.url} (${standIn.backend === 'redis' ? `Redis at ${redisUrl}` : 'IN MEMORY'})`);
  console.log(`[upstash stand-in] UPSTASH_REDIS_REST_URL=${standIn.url} UPSTASH_REDIS_REST_TOKEN=${token}`);
  const stop = () => void standIn.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`[upstash stand-in] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
