import type { Reply } from './reply';

/** Result of one command inside a pipeline or transaction. */
export type CommandResult = { reply: Reply } | { error: string };

/** What the stand-in forwards commands to: a real Redis or an in-memory store. */
export interface StandInBackend {
  /** `redis` (a real server behind it) or `memory`. */
  readonly kind: 'redis' | 'memory';
  /** Runs one command; rejects with the Redis error message on failure. */
  run(command: readonly string[]): Promise<Reply>;
  /** Runs commands in order, not atomically; one failure does not stop the rest. */
  pipeline(commands: readonly (readonly string[])[]): Promise<CommandResult[]>;
  /** Runs commands atomically (MULTI/EXEC); rejects when the transaction is aborted before running. */
  transaction(commands: readonly (readonly string[])[]): Promise<CommandResult[]>;
  /** Releases connections. */
  close(): Promise<void>;
}

/**
 * Commands the stand-in refuses: they change per-connection state or block the one shared connection.
 * Upstash itself rejects most of them over REST too.
 */
export const UNSUPPORTED = new Set([
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'SELECT',
  'QUIT',
  'RESET',
  'HELLO',
  'AUTH',
  'MONITOR',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'BLPOP',
  'BRPOP',
  'BLMOVE',
  'BRPOPLPUSH',
  'BZPOPMIN',
  'BZPOPMAX',
  'BLMPOP',
  'BZMPOP',
  'WAIT',
  'SHUTDOWN',
]);
