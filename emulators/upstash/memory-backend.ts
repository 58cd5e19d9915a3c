import { UNSUPPORTED, type CommandResult, type StandInBackend } from './backend';
import { xadd, xlen, xrange, type MemoryStream, type StreamKeyspace } from './memory-streams';
import { CommandError, errorMessage, type Reply } from './reply';

interface Item {
  /** A string (bulk) or a stream. */
  value: Buffer | MemoryStream;
  /** Epoch ms, or `null` for no expiry. */
  expiresAt: number | null;
}

type Handler = (args: readonly string[]) => Reply;

const NOT_INTEGER = 'ERR value is not an integer or out of range';
const SYNTAX = 'ERR syntax error';
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

function int(text: string | undefined): number {
  if (text === undefined || !/^-?\d{1,16}$/.test(text)) throw new CommandError(NOT_INTEGER);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new CommandError(NOT_INTEGER);
  return value;
}

function stringOrNil(value: Buffer | MemoryStream | undefined): Buffer | null {
  return Buffer.isBuffer(value) ? value : null;
}

function arity(name: string, args: readonly string[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw new CommandError(`ERR wrong number of arguments for '${name.toLowerCase()}' command`);
}

/**
 * A tiny Redis in memory for the one-command demo: strings with expiry and counters, and streams (XADD,
 * XRANGE, XREVRANGE, XLEN) for the audit trail. Lua (EVAL/EVALSHA) is not available, so
 * `@upstash/ratelimit` needs the Redis-backed mode.
 */
export function memoryBackend({ now = Date.now }: { now?: () => number } = {}): StandInBackend {
  const data = new Map<string, Item>();

  function live(key: string): Item | undefined {
    const item = data.get(key);
    if (item && item.expiresAt !== null && now() >= item.expiresAt) {
      data.delete(key);
      return undefined;
    }
    return item;
  }

  /** The string at `key`; WRONGTYPE when it holds a stream, as Redis answers. */
  function stringAt(key: string): Buffer | undefined {
    const item = live(key);
    if (item && !Buffer.isBuffer(item.value)) throw new CommandError(WRONGTYPE);
    return item?.value as Buffer | undefined;
  }

  const streams: StreamKeyspace = {
    stream(key) {
      const item = live(key);
      if (item && Buffer.isBuffer(item.value)) throw new CommandError(WRONGTYPE);
      return item?.value as MemoryStream | undefined;
    },
    create(key) {
      const stream: MemoryStream = { entries: [], lastId: { ms: 0n, seq: 0n } };
      data.set(key, { value: stream, expiresAt: null });
      return stream;
    },
    now,
  };

  function expireAt(key: string, at: number): number {
    const item = live(key);
    if (!item) return 0;
    if (at <= now()) data.delete(key);
    else item.expiresAt = at;
    return 1;
  }

  function ttl(key: string, unitMs: number): number {
    const item = live(key);
    if (!item) return -2;
    if (item.expiresAt === null) return -1;
    return Math.round((item.expiresAt - now()) / unitMs);
  }

  function incrBy(key: string, by: number): number {
    const value = stringAt(key);
    const current = value ? int(value.toString('utf8')) : 0;
    const next = current + by;
    if (!Number.isSafeInteger(next)) throw new CommandError('ERR increment or decrement would overflow');
    data.set(key, { value: Buffer.from(String(next)), expiresAt: live(key)?.expiresAt ?? null });
    return next;
  }

  function set(args: readonly string[]): Reply {
    const [key = '', value = ''] = args;
    let condition: 'NX' | 'XX' | undefined;
    let returnOld = false;
    let keepTtl = false;
    let expiresAt: number | null = null;
    for (let i = 2; i < args.length; i++) {
      const option = (args[i] ?? '').toUpperCase();
      if (option === 'NX' || option === 'XX') {
        if (condition) throw new CommandError(SYNTAX);
        condition = option;
      } else if (option === 'GET') returnOld = true;
      else if (option === 'KEEPTTL') keepTtl = true;
      else if (option === 'EX' || option === 'PX' || option === 'EXAT' || option === 'PXAT') {
        if (expiresAt !== null) throw new CommandError(SYNTAX);
        const amount = int(args[++i]);
        if (amount <= 0) throw new CommandError("ERR invalid expire time in 'set' command");
        const ms = option === 'EX' || option === 'EXAT' ? amount * 1000 : amount;
        expiresAt = option.endsWith('AT') ? ms : now() + ms;
      } else throw new CommandError(SYNTAX);
    }
    if (keepTtl && expiresAt !== null) throw new CommandError(SYNTAX);
    // SET replaces a key of any type, but SET … GET must read a string first.
    if (returnOld) stringAt(key);
    const old = live(key);
    const oldReply = old && returnOld ? (old.value as Buffer) : null;
    if ((condition === 'NX' && old) || (condition === 'XX' && !old)) return returnOld ? oldReply : null;
    data.set(key, { value: Buffer.from(value, 'utf8'), expiresAt: keepTtl ? (old?.expiresAt ?? null) : expiresAt });
    return returnOld ? oldReply : 'OK';
  }

  const noLua: Handler = () => {
    throw new CommandError(
      'ERR unknown command: the in-memory Upstash stand-in has no Lua scripting (EVAL/EVALSHA/SCRIPT); start it with --redis-url',
    );
  };

  const handlers: Record<string, { min: number; max?: number; run: Handler }> = {
    PING: { min: 0, max: 1, run: (a) => (a[0] === undefined ? 'PONG' : Buffer.from(a[0])) },
    ECHO: { min: 1, run: (a) => Buffer.from(a[0] ?? '') },
    GET: { min: 1, run: (a) => stringAt(a[0] ?? '') ?? null },
    SET: { min: 2, max: 8, run: set },
    SETEX: { min: 3, run: (a) => set([a[0] ?? '', a[2] ?? '', 'EX', a[1] ?? '']) },
    // MGET answers nil for keys of another type instead of an error.
    MGET: { min: 1, max: Infinity, run: (a) => a.map((k) => stringOrNil(live(k)?.value)) },
    DEL: { min: 1, max: Infinity, run: (a) => a.filter((k) => live(k) !== undefined && data.delete(k)).length },
    UNLINK: { min: 1, max: Infinity, run: (a) => a.filter((k) => live(k) !== undefined && data.delete(k)).length },
    EXISTS: { min: 1, max: Infinity, run: (a) => a.filter((k) => live(k) !== undefined).length },
    EXPIRE: { min: 2, run: (a) => expireAt(a[0] ?? '', now() + int(a[1]) * 1000) },
    PEXPIRE: { min: 2, run: (a) => expireAt(a[0] ?? '', now() + int(a[1])) },
    TTL: { min: 1, run: (a) => ttl(a[0] ?? '', 1000) },
    PTTL: { min: 1, run: (a) => ttl(a[0] ?? '', 1) },
    PERSIST: {
      min: 1,
      run: (a) => {
        const item = live(a[0] ?? '');
        if (!item || item.expiresAt === null) return 0;
        item.expiresAt = null;
        return 1;
      },
    },
    INCR: { min: 1, run: (a) => incrBy(a[0] ?? '', 1) },
    DECR: { min: 1, run: (a) => incrBy(a[0] ?? '', -1) },
    INCRBY: { min: 2, run: (a) => incrBy(a[0] ?? '', int(a[1])) },
    DECRBY: { min: 2, run: (a) => incrBy(a[0] ?? '', -int(a[1])) },
    DBSIZE: { min: 0, run: () => [...data.keys()].filter((k) => live(k) !== undefined).length },
    FLUSHDB: { min: 0, max: 1, run: () => (data.clear(), 'OK') },
    FLUSHALL: { min: 0, max: 1, run: () => (data.clear(), 'OK') },
    XADD: { min: 4, max: Infinity, run: (a) => xadd(streams, a[0] ?? '', a.slice(1)) },
    XRANGE: { min: 3, max: Infinity, run: (a) => xrange(streams, a[0] ?? '', a.slice(1), false) },
    XREVRANGE: { min: 3, max: Infinity, run: (a) => xrange(streams, a[0] ?? '', a.slice(1), true) },
    XLEN: { min: 1, run: (a) => xlen(streams, a[0] ?? '') },
    EVAL: { min: 2, max: Infinity, run: noLua },
    EVALSHA: { min: 2, max: Infinity, run: noLua },
    SCRIPT: { min: 1, max: Infinity, run: noLua },
  };

  function lookup(command: readonly string[]): { name: string; run: Handler; min: number; max?: number } {
    const name = (command[0] ?? '').toUpperCase();
    const handler = handlers[name];
    if (UNSUPPORTED.has(name)) throw new CommandError(`ERR command '${name}' is not supported by the Upstash stand-in`);
    if (!handler)
      throw new CommandError(
        `ERR unknown command '${command[0] ?? ''}' (the in-memory Upstash stand-in knows only ${Object.keys(handlers).join(', ')})`,
      );
    return { name, ...handler };
  }

  function execute(command: readonly string[]): Reply {
    const { name, run, min, max } = lookup(command);
    const args = command.slice(1);
    arity(name, args, min, max ?? min);
    return run(args);
  }

  function settle(command: readonly string[]): CommandResult {
    try {
      return { reply: execute(command) };
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }

  return {
    kind: 'memory',
    async run(command) {
      return execute(command);
    },
    async pipeline(commands) {
      return commands.map(settle);
    },
    async transaction(commands) {
      // As in Redis, an unknown command aborts the whole transaction before anything runs.
      for (const command of commands) {
        try {
          lookup(command);
        } catch (error) {
          throw new CommandError(`EXECABORT Transaction discarded because of previous errors: ${errorMessage(error)}`);
        }
      }
      return commands.map(settle);
    },
    async close() {
      data.clear();
    },
  };
}
