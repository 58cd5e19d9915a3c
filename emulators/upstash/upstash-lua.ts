import { createHash } from 'node:crypto';
import type { Reply } from './reply';

/** Script flags only Upstash understands; stock Redis rejects them ("Unexpected flag in script shebang"). */
const UPSTASH_ONLY_FLAGS = new Set(['allow-key-locking']);

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * Removes Upstash-only flags from a `#!lua flags=…` shebang. When none are left the line is blanked, so the
 * script runs as it did before the flag existed (and line numbers in errors stay the same).
 */
export function stripUpstashFlags(script: string): string {
  const match = /^#!lua[ \t]+flags=([^\s]*)[^\n]*/.exec(script);
  if (!match?.[1]) return script;
  const flags = match[1].split(',').filter(Boolean);
  const kept = flags.filter((flag) => !UPSTASH_ONLY_FLAGS.has(flag));
  if (kept.length === flags.length) return script;
  return (kept.length === 0 ? '' : `#!lua flags=${kept.join(',')}`) + script.slice(match[0].length);
}

/** A command rewritten for stock Redis, and how to translate its reply back. */
export interface Rewritten {
  command: string[];
  reply?: (reply: Reply) => Reply;
}

/**
 * Lets scripts written for Upstash (e.g. `@upstash/ratelimit` 2.x uses `#!lua flags=allow-key-locking`) run
 * on stock Redis, keeping the client's SHA1s valid: EVALSHA/SCRIPT EXISTS with the original SHA are mapped
 * to the SHA of the stripped script, SCRIPT LOAD answers the original SHA.
 */
export function upstashLuaShim(): (command: readonly string[]) => Rewritten {
  const redisShaOf = new Map<string, string>();

  function strip(script: string): string {
    const stripped = stripUpstashFlags(script);
    if (stripped !== script) redisShaOf.set(sha1(script), sha1(stripped));
    return stripped;
  }
  const mapSha = (sha: string) => redisShaOf.get(sha.toLowerCase()) ?? sha;

  return (command) => {
    const [name = '', first, ...rest] = command;
    const upper = name.toUpperCase();
    if (first === undefined) return { command: [...command] };
    if (upper === 'EVAL' || upper === 'EVAL_RO') return { command: [name, strip(first), ...rest] };
    if (upper === 'EVALSHA' || upper === 'EVALSHA_RO') return { command: [name, mapSha(first), ...rest] };
    if (upper === 'SCRIPT' && first.toUpperCase() === 'LOAD' && rest[0] !== undefined) {
      const original = rest[0];
      return { command: [name, first, strip(original)], reply: () => Buffer.from(sha1(original)) };
    }
    if (upper === 'SCRIPT' && first.toUpperCase() === 'EXISTS') return { command: [name, first, ...rest.map(mapSha)] };
    return { command: [...command] };
  };
}
