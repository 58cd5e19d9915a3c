import { describe, expect, it } from 'vitest';
import { nodeOnlyReach } from '../../test/helpers/edge-imports';

describe('audit and webhook entries on the Edge runtime', () => {
  it.each(['lib/audit.ts', 'lib/audit/upstash-stream.ts', 'lib/webhooks.ts'])(
    '%s reaches nothing Node-only',
    async (entry) => {
      expect(await nodeOnlyReach(entry)).toEqual([]);
    },
  );

  it.each(['lib/audit/redis-stream-node.ts', 'lib/webhooks/dedupe-redis-node.ts'])(
    '%s is marked server-only',
    async (entry) => {
      expect((await nodeOnlyReach(entry)).some((r) => r.endsWith('→ server-only'))).toBe(true);
    },
  );
});
