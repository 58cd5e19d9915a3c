import { createClient } from 'redis';

/** Direct access to the stored keys, bypassing every adapter: for planting corrupt values and reading TTLs. */
export interface RawAccess {
  /** The stored string, or `null`. */
  get(key: string): Promise<string | null>;
  /** Stores `value` verbatim with a 60-second expiry. */
  set(key: string, value: string): Promise<void>;
  /** Milliseconds to live (`-2` absent, `-1` no expiry). */
  pttl(key: string): Promise<number>;
}

/**
 * Opens a plain node-redis connection to `url` for {@link RawAccess}.
 * @example
 * ```ts
 * const raw = await connectRaw(inject('redisUrl'));
 * await raw.set('authkit-mfa:v1:{s}:ledger', 'not json');
 * ```
 */
export async function connectRaw(url: string): Promise<RawAccess & { close(): void }> {
  const client = await createClient({ url })
    .on('error', () => undefined)
    .connect();
  return {
    get: (key) => client.get(key),
    async set(key, value) {
      await client.set(key, value, { expiration: { type: 'EX', value: 60 } });
    },
    pttl: (key) => client.pTTL(key),
    close: () => client.destroy(),
  };
}
