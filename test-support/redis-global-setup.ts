import type { TestProject } from 'vitest/node';
import { startRedis } from './redis-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:<port>` of the Redis shared by every integration test file. */
    redisUrl: string;
  }
}

/**
 * Vitest globalSetup of the integration project: one shared `redis-server` for all files, stopped at teardown.
 * Tests read it with `inject('redisUrl')`; tests that pause or restart Redis start their own with `startRedis()`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
