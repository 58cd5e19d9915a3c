import { readFileSync } from 'node:fs';
import { createClient } from 'redis';
import { describe, expect, inject, it } from 'vitest';
import { REDIS_NOT_FOUND, startRedis } from './redis-server';

const quiet = () => undefined;
// Third field of /proc/<pid>/stat: R running, S sleeping, T stopped.
const state = (pid: number | undefined) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];

describe('startRedis', () => {
  it('runs a loopback server that can be paused, resumed, restarted empty and stopped', async () => {
    const redis = await startRedis();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      const client = await createClient({ url: redis.url, socket: { reconnectStrategy: 50 } })
        .on('error', quiet)
        .connect();
      await client.set('k', 'v');
      expect(await client.configGet('save')).toEqual({ save: '' });
      expect(await client.configGet('bind')).toEqual({ bind: '127.0.0.1' });

      redis.pause();
      await expect.poll(() => state(redis.pid)).toBe('T');
      const pending = client.get('k');
      redis.resume();
      await expect.poll(() => state(redis.pid)).not.toBe('T');
      expect(await pending).toBe('v');

      const firstPid = redis.pid;
      await redis.restart();
      expect(redis.pid).not.toBe(firstPid);
      await expect.poll(() => client.get('k').catch(() => 'reconnecting'), { timeout: 5000 }).toBeNull();
      client.destroy();
    } finally {
      await redis.stop();
      await redis.stop();
    }
    const probe = createClient({ url: redis.url, socket: { reconnectStrategy: false } }).on('error', quiet);
    await expect(probe.connect()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails with an actionable message when redis-server is missing, never a skip', async () => {
    await expect(startRedis({ bin: '/nonexistent/redis-server' })).rejects.toThrow(REDIS_NOT_FOUND);
  });

  it('provides the shared server to every file', async () => {
    const client = await createClient({ url: inject('redisUrl') }).connect();
    expect(await client.ping()).toBe('PONG');
    client.destroy();
  });
});
