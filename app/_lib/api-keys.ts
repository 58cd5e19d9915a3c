/**
 * The demo's "API key" of an organization, kept in Redis next to the ledger. A rotation counter lets the
 * page (and the tests) see how many times a rotation really ran.
 */
import 'server-only';
import { upstash } from '@/mfa.config';

/** What the page shows about the current key; the full key is only ever returned by the rotation itself. */
export interface ApiKeyInfo {
  readonly last4: string | null;
  readonly rotatedAt: string | null;
  readonly rotatedBy: string | null;
  /** Why the last rotation happened, as its author wrote it. */
  readonly reason: string | null;
  readonly rotations: number;
}

/** The result of one rotation. */
export interface RotatedKey {
  readonly key: string;
  readonly rotation: number;
  readonly rotatedAt: string;
  readonly reason: string | null;
}

const keyOf = (org: string, kind: string) => `demo:v1:{${org}}:api-key:${kind}`;

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return `sk_live_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Current key facts of `org`. */
export async function apiKeyInfo(org: string): Promise<ApiKeyInfo> {
  const [meta, rotations] = await Promise.all([
    upstash.get<string>(keyOf(org, 'meta')),
    upstash.get<string>(keyOf(org, 'rotations')),
  ]);
  const parsed = meta ? (JSON.parse(meta) as Omit<ApiKeyInfo, 'rotations'>) : null;
  return {
    last4: parsed?.last4 ?? null,
    rotatedAt: parsed?.rotatedAt ?? null,
    rotatedBy: parsed?.rotatedBy ?? null,
    reason: parsed?.reason ?? null,
    rotations: Number(rotations ?? 0),
  };
}

/** Replaces the key of `org` and counts the rotation; `reason` is trimmed to 200 characters. */
export async function rotateApiKey(org: string, by: string, reason: string | null = null): Promise<RotatedKey> {
  const why = reason?.trim().slice(0, 200) || null;
  const rotation = await upstash.incr(keyOf(org, 'rotations'));
  const key = newKey();
  const rotatedAt = new Date().toISOString();
  await upstash.set(
    keyOf(org, 'meta'),
    JSON.stringify({ last4: key.slice(-4), rotatedAt, rotatedBy: by, reason: why }),
  );
  return { key, rotation, rotatedAt, reason: why };
}
