import { createClient } from 'redis';
import { inject } from 'vitest';
import { closedPort } from '../../test-support/free-port';
import { runLedgerContract } from '../../test-support/ledger-contract';
import { connectRaw } from '../../test-support/redis-raw';
import { startRedis } from '../../test-support/redis-server';
import { redisStore } from '../../lib/ledger/redis-node';

const quiet = () => undefined;

runLedgerContract('node-redis', async () => {
  const client = await createClient({ url: inject('redisUrl') })
    .on('error', quiet)
    .connect();
  const raw = await connectRaw(inject('redisUrl'));
  const cleanup: Array<() => unknown> = [];
  return {
    store: redisStore(client),
    raw,
    faults: {
      async unreachable() {
        // As an app would: connect at startup without awaiting; commands queue while it retries.
        const dead = createClient({ url: `redis://127.0.0.1:${await closedPort()}` }).on('error', quiet);
        dead.connect().catch(quiet);
        cleanup.push(() => dead.destroy());
        return redisStore(dead);
      },
      async stallable() {
        const redis = await startRedis();
        const own = await createClient({ url: redis.url }).on('error', quiet).connect();
        return {
          store: redisStore(own),
          stall: () => redis.pause(),
          resume: () => redis.resume(),
          async close() {
            own.destroy();
            await redis.stop();
          },
        };
      },
    },
    async close() {
      for (const fn of cleanup) fn();
      client.destroy();
      raw.close();
    },
  };
});
