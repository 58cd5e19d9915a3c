/**
 * Redis Streams for the in-memory stand-in: `XADD` (with `NOMKSTREAM`, `MAXLEN`/`MINID` `=`/`~`, `LIMIT`,
 * `*`, `<ms>-*` and explicit ids), `XRANGE` / `XREVRANGE` (`-`, `+`, incomplete and `(`-exclusive ids,
 * `COUNT`) and `XLEN`, with Redis 7's replies and error messages. Approximate trimming (`~`) trims exactly,
 * which Redis allows ("at least N entries are kept").
 */
import { CommandError, type Reply } from './reply';

/** A stream entry id `<ms>-<seq>`: two unsigned 64-bit numbers, hence bigint. */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

interface StreamEntry {
  readonly id: StreamId;
  /** Field, value, field, value, … */
  readonly fields: readonly Buffer[];
}

/** A stream kept in memory: its entries in id order, and the last id ever added (kept after trimming). */
export interface MemoryStream {
  entries: StreamEntry[];
  lastId: StreamId;
}

/** Where the stream commands find keys: the backend owns the keyspace (types, expiry). */
export interface StreamKeyspace {
  /** The stream at `key`; `undefined` when the key does not exist; throws WRONGTYPE for another type. */
  stream(key: string): MemoryStream | undefined;
  /** Stores a new empty stream at `key` (which does not exist). */
  create(key: string): MemoryStream;
  /** Clock for `*` ids, epoch milliseconds. */
  now(): number;
}

const U64_MAX = (1n << 64n) - 1n;
const ZERO: StreamId = { ms: 0n, seq: 0n };
const MAX_ID: StreamId = { ms: U64_MAX, seq: U64_MAX };

const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const SYNTAX = 'ERR syntax error';
const NOT_INTEGER = 'ERR value is not an integer or out of range';

function compare(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
}

/** `<ms>-<seq>`, as Redis prints it. */
export function formatStreamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

function u64(text: string): bigint | null {
  if (!/^\d{1,20}$/.test(text)) return null;
  const value = BigInt(text);
  return value <= U64_MAX ? value : null;
}

/** Parses `<ms>`, `<ms>-<seq>` (and `<ms>-*` when `autoSeq`); a missing seq becomes `missingSeq`. */
function parseId(text: string, missingSeq: bigint, autoSeq = false): { ms: bigint; seq: bigint | null } {
  const dash = text.indexOf('-');
  const ms = u64(dash === -1 ? text : text.slice(0, dash));
  if (ms === null) throw new CommandError(INVALID_ID);
  if (dash === -1) return { ms, seq: missingSeq };
  const seqText = text.slice(dash + 1);
  if (autoSeq && seqText === '*') return { ms, seq: null };
  const seq = u64(seqText);
  if (seq === null) throw new CommandError(INVALID_ID);
  return { ms, seq };
}

function integer(text: string | undefined): number {
  if (text === undefined || !/^-?\d{1,16}$/.test(text)) throw new CommandError(NOT_INTEGER);
  return Number(text);
}

type Trim = { strategy: 'MAXLEN'; threshold: number } | { strategy: 'MINID'; threshold: StreamId };

interface AddArgs {
  readonly noMkStream: boolean;
  readonly trim: Trim | null;
  readonly limit: number | null;
  readonly id: string;
  readonly fields: readonly string[];
}

/** `XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] <*|id> field value …` after the key. */
function parseAddArgs(args: readonly string[]): AddArgs {
  let noMkStream = false;
  let trim: Trim | null = null;
  let approximate = false;
  let limit: number | null = null;
  let i = 0;
  for (; i < args.length; i++) {
    const word = (args[i] ?? '').toUpperCase();
    if (word === 'NOMKSTREAM') noMkStream = true;
    else if (word === 'MAXLEN' || word === 'MINID') {
      if (trim && trim.strategy !== word)
        throw new CommandError('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      let next = args[i + 1];
      if (next === '~' || next === '=') {
        approximate = next === '~';
        next = args[++i + 1];
      }
      if (next === undefined) throw new CommandError(SYNTAX);
      i++;
      if (word === 'MAXLEN') {
        const threshold = integer(next);
        if (threshold < 0) throw new CommandError('ERR The MAXLEN argument must be >= 0.');
        trim = { strategy: 'MAXLEN', threshold };
      } else {
        const id = parseId(next, 0n);
        trim = { strategy: 'MINID', threshold: { ms: id.ms, seq: id.seq ?? 0n } };
      }
    } else if (word === 'LIMIT') {
      limit = integer(args[++i]);
      if (limit < 0) throw new CommandError('ERR The LIMIT argument must be >= 0.');
    } else break;
  }
  const fields = args.slice(i + 1);
  if (i >= args.length || fields.length < 2 || fields.length % 2 === 1)
    throw new CommandError("ERR wrong number of arguments for 'xadd' command");
  if (limit !== null && !approximate)
    throw new CommandError('ERR syntax error, LIMIT cannot be used without the special ~ option');
  return { noMkStream, trim, limit, id: args[i] ?? '', fields };
}

/** The id of a new entry: `*` from the clock, `<ms>-*`, or explicit — always above the stream's last id. */
function nextId(spec: string, last: StreamId, nowMs: number): StreamId {
  if (spec === '*') {
    if (compare(last, MAX_ID) === 0)
      throw new CommandError('ERR The stream has exhausted the last possible ID, unable to add more items');
    const ms = BigInt(Math.max(0, Math.floor(nowMs)));
    // A clock that went back (or the same millisecond) continues the last id's sequence: ids never decrease.
    if (ms > last.ms) return { ms, seq: 0n };
    return last.seq === U64_MAX ? { ms: last.ms + 1n, seq: 0n } : { ms: last.ms, seq: last.seq + 1n };
  }
  const parsed = parseId(spec, 0n, true);
  let id: StreamId;
  if (parsed.seq === null) {
    if (parsed.ms === last.ms && last.seq === U64_MAX)
      throw new CommandError('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    id =
      parsed.ms === last.ms ? { ms: last.ms, seq: last.seq + 1n } : { ms: parsed.ms, seq: parsed.ms === 0n ? 1n : 0n };
  } else id = { ms: parsed.ms, seq: parsed.seq };
  if (compare(id, ZERO) === 0) throw new CommandError('ERR The ID specified in XADD must be greater than 0-0');
  if (compare(id, last) <= 0)
    throw new CommandError('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  return id;
}

function trimStream(stream: MemoryStream, trim: Trim, limit: number | null): void {
  let evict =
    trim.strategy === 'MAXLEN'
      ? Math.max(0, stream.entries.length - trim.threshold)
      : stream.entries.findIndex((e) => compare(e.id, trim.threshold) >= 0);
  if (evict === -1) evict = stream.entries.length; // MINID above every entry
  // `LIMIT 0` means "no limit" in Redis.
  if (limit !== null && limit > 0) evict = Math.min(evict, limit);
  if (evict > 0) stream.entries.splice(0, evict);
}

/** `XADD`: the new entry's id (a bulk string), or null with NOMKSTREAM on a missing key. */
export function xadd(keyspace: StreamKeyspace, key: string, args: readonly string[]): Reply {
  const parsed = parseAddArgs(args);
  const existing = keyspace.stream(key);
  if (!existing && parsed.noMkStream) return null;
  const id = nextId(parsed.id, existing?.lastId ?? ZERO, keyspace.now());
  const stream = existing ?? keyspace.create(key);
  stream.entries.push({ id, fields: parsed.fields.map((f) => Buffer.from(f, 'utf8')) });
  stream.lastId = id;
  if (parsed.trim) trimStream(stream, parsed.trim, parsed.limit);
  return Buffer.from(formatStreamId(id));
}

/** A range bound: `-`, `+`, `<ms>[-<seq>]`, or any of those ids after `(` (exclusive). */
function bound(text: string, side: 'start' | 'end'): StreamId {
  if (text === '-') return ZERO;
  if (text === '+') return MAX_ID;
  const exclusive = text.startsWith('(');
  const { ms, seq } = parseId(exclusive ? text.slice(1) : text, side === 'start' ? 0n : U64_MAX);
  const id = { ms, seq: seq ?? 0n };
  if (!exclusive) return id;
  if (side === 'start') {
    if (compare(id, MAX_ID) === 0) throw new CommandError('ERR invalid start ID for the interval');
    return id.seq === U64_MAX ? { ms: id.ms + 1n, seq: 0n } : { ms: id.ms, seq: id.seq + 1n };
  }
  if (compare(id, ZERO) === 0) throw new CommandError('ERR invalid end ID for the interval');
  return id.seq === 0n ? { ms: id.ms - 1n, seq: U64_MAX } : { ms: id.ms, seq: id.seq - 1n };
}

/**
 * `XRANGE key start end [COUNT n]` (`reverse`: `XREVRANGE key end start [COUNT n]`, newest first).
 * `args` follow the key. A `COUNT` of 0 or less answers a null array, as Redis does.
 */
export function xrange(keyspace: StreamKeyspace, key: string, args: readonly string[], reverse: boolean): Reply {
  const [first = '', second = ''] = args;
  const [start, end] = reverse
    ? [bound(second, 'start'), bound(first, 'end')]
    : [bound(first, 'start'), bound(second, 'end')];
  let count = -1;
  for (let i = 2; i < args.length; i++) {
    if ((args[i] ?? '').toUpperCase() === 'COUNT' && i + 1 < args.length) count = Math.max(0, integer(args[++i]));
    else throw new CommandError(SYNTAX);
  }
  const stream = keyspace.stream(key);
  if (!stream) return [];
  if (count === 0) return null;
  const inRange = stream.entries.filter((e) => compare(e.id, start) >= 0 && compare(e.id, end) <= 0);
  const ordered = reverse ? inRange.reverse() : inRange;
  return (count > 0 ? ordered.slice(0, count) : ordered).map((e) => [Buffer.from(formatStreamId(e.id)), [...e.fields]]);
}

/** `XLEN key`: 0 for a missing key. */
export function xlen(keyspace: StreamKeyspace, key: string): Reply {
  return keyspace.stream(key)?.entries.length ?? 0;
}
