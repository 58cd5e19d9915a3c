import { beforeEach, describe, expect, it } from 'vitest';
import type { StandInBackend } from './backend';
import { memoryBackend } from './memory-backend';
import type { Reply } from './reply';

let now: number;
let backend: StandInBackend;
const run = (...command: string[]) => backend.run(command);

/** Bulk strings as text, so replies compare readably. */
function plain(reply: Reply): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map((item: Reply) => plain(item));
  return reply;
}
const ids = async (...command: string[]) =>
  ((plain(await run(...command)) as [string, string[]][]) ?? []).map(([id]) => id);

beforeEach(() => {
  now = 1_795_000_000_000;
  backend = memoryBackend({ now: () => now });
});

describe('memory backend streams: XADD', () => {
  it('gives * ids <ms>-<seq> from the clock, monotonic within a millisecond and when the clock goes back', async () => {
    const t0 = now;
    expect(plain(await run('XADD', 's', '*', 'record', '{"a":1}'))).toBe(`${t0}-0`);
    expect(plain(await run('XADD', 's', '*', 'record', 'b'))).toBe(`${t0}-1`);
    now = t0 - 5_000;
    expect(plain(await run('XADD', 's', '*', 'record', 'c'))).toBe(`${t0}-2`);
    now = t0 + 5_000;
    expect(plain(await run('XADD', 's', '*', 'record', 'd'))).toBe(`${t0 + 5_000}-0`);
    expect(await run('XLEN', 's')).toBe(4);
    expect(plain(await run('XRANGE', 's', '-', '+'))).toEqual([
      [`${t0}-0`, ['record', '{"a":1}']],
      [`${t0}-1`, ['record', 'b']],
      [`${t0}-2`, ['record', 'c']],
      [`${t0 + 5_000}-0`, ['record', 'd']],
    ]);
  });

  it('accepts explicit and <ms>-* ids above the top item only', async () => {
    expect(plain(await run('XADD', 's', '0-*', 'f', 'v'))).toBe('0-1');
    expect(plain(await run('XADD', 's', '5', 'f', 'v'))).toBe('5-0');
    expect(plain(await run('XADD', 's', '5-*', 'f', 'v'))).toBe('5-1');
    expect(plain(await run('XADD', 's', '7-3', 'f', 'v', 'g', 'w'))).toBe('7-3');
    await expect(run('XADD', 's', '7-3', 'f', 'v')).rejects.toThrow(
      'ERR The ID specified in XADD is equal or smaller than the target stream top item',
    );
    await expect(run('XADD', 's', '6-*', 'f', 'v')).rejects.toThrow('equal or smaller');
    await expect(run('XADD', 't', '0-0', 'f', 'v')).rejects.toThrow(
      'ERR The ID specified in XADD must be greater than 0-0',
    );
    for (const bad of ['abc', '1-x', '-1', '18446744073709551616-0', '1-2-3'])
      await expect(run('XADD', 's', bad, 'f', 'v'), bad).rejects.toThrow(
        'ERR Invalid stream ID specified as stream command argument',
      );
    expect(await ids('XRANGE', 's', '-', '+')).toEqual(['0-1', '5-0', '5-1', '7-3']);
    expect(await run('EXISTS', 't')).toBe(0);
  });

  it('refuses * after the last possible id', async () => {
    await run('XADD', 's', '18446744073709551615-18446744073709551615', 'f', 'v');
    await expect(run('XADD', 's', '*', 'f', 'v')).rejects.toThrow(
      'ERR The stream has exhausted the last possible ID, unable to add more items',
    );
  });

  it('trims with MAXLEN (= and ~, exactly) and MINID, keeping the newest entries and the last id', async () => {
    for (let i = 1; i <= 5; i++) await run('XADD', 's', `${i}-0`, 'f', String(i));
    await run('XADD', 's', 'MAXLEN', '~', '3', '6-0', 'f', '6');
    expect(await ids('XRANGE', 's', '-', '+')).toEqual(['4-0', '5-0', '6-0']);
    await run('XADD', 's', 'MAXLEN', '2', '7-0', 'f', '7');
    expect(await ids('XRANGE', 's', '-', '+')).toEqual(['6-0', '7-0']);
    await run('XADD', 's', 'MINID', '=', '7', '8-0', 'f', '8');
    expect(await ids('XRANGE', 's', '-', '+')).toEqual(['7-0', '8-0']);
    // LIMIT caps how many entries one approximate trim evicts.
    for (let i = 9; i <= 12; i++) await run('XADD', 's', `${i}-0`, 'f', String(i));
    await run('XADD', 's', 'MAXLEN', '~', '1', 'LIMIT', '2', '13-0', 'f', '13');
    expect(await run('XLEN', 's')).toBe(5);
    // MAXLEN 0 empties the stream, which still exists and still refuses older ids.
    await run('XADD', 's', 'MAXLEN', '=', '0', '*', 'f', 'x');
    expect(await run('XLEN', 's')).toBe(0);
    expect(await run('EXISTS', 's')).toBe(1);
    await expect(run('XADD', 's', '13-1', 'f', 'v')).rejects.toThrow('equal or smaller');
  });

  it('sends the trimming arguments @upstash/redis and node-redis send (MAXLEN ~ N *)', async () => {
    for (let i = 0; i < 120; i++) await run('XADD', 'audit', 'MAXLEN', '~', '100', '*', 'record', `{"n":${i}}`);
    expect(await run('XLEN', 'audit')).toBe(100);
    const [first] = plain(await run('XRANGE', 'audit', '-', '+', 'COUNT', '1')) as [string, string[]][];
    expect(first?.[1]).toEqual(['record', '{"n":20}']);
  });

  it('honours NOMKSTREAM and rejects malformed options like Redis', async () => {
    expect(await run('XADD', 's', 'NOMKSTREAM', '*', 'f', 'v')).toBeNull();
    expect(await run('EXISTS', 's')).toBe(0);
    await expect(run('XADD', 's', '*', 'f')).rejects.toThrow("ERR wrong number of arguments for 'xadd' command");
    await expect(run('XADD', 's', 'MAXLEN', '-1', '*', 'f', 'v')).rejects.toThrow(
      'ERR The MAXLEN argument must be >= 0.',
    );
    await expect(run('XADD', 's', 'MAXLEN', 'many', '*', 'f', 'v')).rejects.toThrow(
      'ERR value is not an integer or out of range',
    );
    await expect(run('XADD', 's', 'MAXLEN', '2', 'LIMIT', '5', '*', 'f', 'v')).rejects.toThrow(
      'ERR syntax error, LIMIT cannot be used without the special ~ option',
    );
    await expect(run('XADD', 's', 'MAXLEN', '1', 'MINID', '2', '*', 'f', 'v')).rejects.toThrow(
      'MAXLEN and MINID options at the same time are not compatible',
    );
    await expect(run('XADD', 's', '*')).rejects.toThrow("ERR wrong number of arguments for 'xadd' command");
    expect(await run('EXISTS', 's')).toBe(0);
    expect(plain(await run('XADD', 's', 'NOMKSTREAM', '*', 'f', 'v'))).toBeNull();
    await run('XADD', 's', '*', 'f', 'v');
    expect(plain(await run('XADD', 's', 'NOMKSTREAM', '*', 'f', 'w'))).toBe(`${now}-1`);
  });
});

describe('memory backend streams: XRANGE and XREVRANGE', () => {
  beforeEach(async () => {
    for (const id of ['1-0', '1-1', '2-0', '3-5', '18446744073709551615-0']) await run('XADD', 's', id, 'record', id);
  });

  it('reads by ids with -, +, incomplete ids (whole millisecond) and COUNT', async () => {
    expect(await ids('XRANGE', 's', '-', '+')).toEqual(['1-0', '1-1', '2-0', '3-5', '18446744073709551615-0']);
    expect(await ids('XRANGE', 's', '1', '1')).toEqual(['1-0', '1-1']);
    expect(await ids('XRANGE', 's', '1-1', '3')).toEqual(['1-1', '2-0', '3-5']);
    expect(await ids('XRANGE', 's', '2-0', '+', 'COUNT', '2')).toEqual(['2-0', '3-5']);
    expect(await ids('XRANGE', 's', '4', '1')).toEqual([]);
    expect(await ids('XREVRANGE', 's', '+', '-', 'COUNT', '2')).toEqual(['18446744073709551615-0', '3-5']);
    expect(await ids('XREVRANGE', 's', '3', '1-1')).toEqual(['3-5', '2-0', '1-1']);
    expect(await ids('XRANGE', 's', '0-0', '18446744073709551615-18446744073709551615', 'count', '10')).toHaveLength(5);
  });

  it('pages with exclusive ( bounds, as the audit reader does', async () => {
    expect(await ids('XRANGE', 's', '(1-1', '+', 'COUNT', '2')).toEqual(['2-0', '3-5']);
    expect(await ids('XRANGE', 's', '(3-5', '(18446744073709551615-0')).toEqual([]);
    expect(await ids('XREVRANGE', 's', '(3-5', '-')).toEqual(['2-0', '1-1', '1-0']);
    expect(await ids('XRANGE', 's', '(1', '2')).toEqual(['1-1', '2-0']);
    expect(await ids('XRANGE', 's', '(1-18446744073709551615', '+', 'COUNT', '1')).toEqual(['2-0']);
    expect(await ids('XREVRANGE', 's', '(2-0', '-', 'COUNT', '1')).toEqual(['1-1']);
    expect(await ids('XREVRANGE', 's', '(3-0', '-', 'COUNT', '1')).toEqual(['2-0']);
    await expect(run('XRANGE', 's', '(18446744073709551615-18446744073709551615', '+')).rejects.toThrow(
      'ERR invalid start ID for the interval',
    );
    await expect(run('XRANGE', 's', '-', '(0-0')).rejects.toThrow('ERR invalid end ID for the interval');
  });

  it('answers COUNT 0 with a null array, a missing key with an empty one, and refuses bad arguments', async () => {
    expect(await run('XRANGE', 's', '-', '+', 'COUNT', '0')).toBeNull();
    expect(await run('XRANGE', 's', '-', '+', 'COUNT', '-3')).toBeNull();
    expect(await run('XRANGE', 'missing', '-', '+', 'COUNT', '0')).toEqual([]);
    expect(await run('XLEN', 'missing')).toBe(0);
    for (const [start, end] of [
      ['(-', '+'],
      ['-', '(+'],
      ['x', '+'],
      ['1-', '+'],
    ])
      await expect(run('XRANGE', 's', start!, end!), `${start} ${end}`).rejects.toThrow(
        'ERR Invalid stream ID specified as stream command argument',
      );
    await expect(run('XRANGE', 's', '-', '+', 'BLAH')).rejects.toThrow('ERR syntax error');
    await expect(run('XRANGE', 's', '-', '+', 'COUNT')).rejects.toThrow('ERR syntax error');
    await expect(run('XRANGE', 's', '-', '+', 'COUNT', 'x')).rejects.toThrow(
      'ERR value is not an integer or out of range',
    );
    await expect(run('XRANGE', 's', '-')).rejects.toThrow("ERR wrong number of arguments for 'xrange' command");
  });
});

describe('memory backend streams: the keyspace', () => {
  it('keeps strings and streams apart (WRONGTYPE), while DEL, EXISTS, EXPIRE, TTL and SET work on both', async () => {
    await run('XADD', 's', '*', 'f', 'v');
    await run('SET', 'str', 'v');
    const wrongType = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    await expect(run('GET', 's')).rejects.toThrow(wrongType);
    await expect(run('INCR', 's')).rejects.toThrow(wrongType);
    await expect(run('SET', 's', 'x', 'GET')).rejects.toThrow(wrongType);
    await expect(run('XADD', 'str', '*', 'f', 'v')).rejects.toThrow(wrongType);
    await expect(run('XRANGE', 'str', '-', '+')).rejects.toThrow(wrongType);
    await expect(run('XLEN', 'str')).rejects.toThrow(wrongType);
    expect(plain(await run('MGET', 's', 'str'))).toEqual([null, 'v']);
    expect(await run('EXISTS', 's', 'str')).toBe(2);
    expect(await run('EXPIRE', 's', '10')).toBe(1);
    expect(await run('TTL', 's')).toBe(10);
    now += 10_000;
    expect(await run('XLEN', 's')).toBe(0);
    expect(await run('EXISTS', 's')).toBe(0);
    await run('XADD', 's2', '*', 'f', 'v');
    expect(await run('SET', 's2', 'now a string')).toBe('OK');
    expect(plain(await run('GET', 's2'))).toBe('now a string');
    await run('XADD', 's3', '*', 'f', 'v');
    expect(await run('DEL', 's3')).toBe(1);
    expect(await ids('XRANGE', 's3', '-', '+')).toEqual([]);
  });

  it('runs stream commands inside pipelines and transactions', async () => {
    expect(
      await backend.transaction([
        ['XADD', 's', '1-0', 'f', 'v'],
        ['XLEN', 's'],
        ['GET', 's'],
      ]),
    ).toEqual([
      { reply: Buffer.from('1-0') },
      { reply: 1 },
      { error: 'WRONGTYPE Operation against a key holding the wrong kind of value' },
    ]);
  });
});
