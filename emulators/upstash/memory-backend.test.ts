import { beforeEach, describe, expect, it } from 'vitest';
import type { StandInBackend } from './backend';
import { memoryBackend } from './memory-backend';

let now: number;
let backend: StandInBackend;
const run = (...command: string[]) => backend.run(command);
const text = (reply: unknown) => (Buffer.isBuffer(reply) ? reply.toString('utf8') : reply);

beforeEach(() => {
  now = 1_000_000;
  backend = memoryBackend({ now: () => now });
});

describe('memory backend', () => {
  it('stores strings as bulk replies and answers statuses as strings', async () => {
    expect(await run('SET', 'k', 'v')).toBe('OK');
    expect(text(await run('GET', 'k'))).toBe('v');
    expect(await run('GET', 'nope')).toBeNull();
    expect(await run('PING')).toBe('PONG');
    expect(text(await run('ECHO', 'hi'))).toBe('hi');
  });

  it('expires keys set with EX, PX, EXAT and PXAT', async () => {
    await run('SET', 'ex', 'v', 'EX', '2');
    await run('SET', 'px', 'v', 'PX', '1500');
    await run('SET', 'exat', 'v', 'EXAT', String(now / 1000 + 2));
    await run('SET', 'pxat', 'v', 'PXAT', String(now + 1500));
    expect(await run('PTTL', 'ex')).toBe(2000);
    expect(await run('TTL', 'px')).toBe(2);
    now += 1499;
    expect(await run('EXISTS', 'ex', 'px', 'exat', 'pxat')).toBe(4);
    now += 1;
    expect(await run('EXISTS', 'ex', 'px', 'exat', 'pxat')).toBe(2);
    now += 500;
    expect(await run('EXISTS', 'ex', 'px', 'exat', 'pxat')).toBe(0);
    expect(await run('DBSIZE')).toBe(0);
  });

  it('honours NX, XX, GET and KEEPTTL', async () => {
    expect(await run('SET', 'k', 'a', 'XX')).toBeNull();
    expect(await run('SET', 'k', 'a', 'NX', 'EX', '10')).toBe('OK');
    expect(await run('SET', 'k', 'b', 'NX')).toBeNull();
    expect(text(await run('SET', 'k', 'c', 'XX', 'GET', 'KEEPTTL'))).toBe('a');
    expect(await run('PTTL', 'k')).toBe(10_000);
    await run('SET', 'k', 'd');
    expect(await run('PTTL', 'k')).toBe(-1);
  });

  it('rejects bad SET options like Redis', async () => {
    await expect(run('SET', 'k', 'v', 'EX', '0')).rejects.toThrow("ERR invalid expire time in 'set' command");
    await expect(run('SET', 'k', 'v', 'EX', 'soon')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(run('SET', 'k', 'v', 'NX', 'XX')).rejects.toThrow('ERR syntax error');
    await expect(run('SET', 'k', 'v', 'EX', '1', 'KEEPTTL')).rejects.toThrow('ERR syntax error');
    await expect(run('SET', 'k', 'v', 'BOGUS')).rejects.toThrow('ERR syntax error');
    expect(await run('GET', 'k')).toBeNull();
  });

  it('expires, persists and deletes', async () => {
    await run('SET', 'k', 'v');
    expect(await run('EXPIRE', 'k', '5')).toBe(1);
    expect(await run('TTL', 'k')).toBe(5);
    expect(await run('PEXPIRE', 'k', '1200')).toBe(1);
    expect(await run('PERSIST', 'k')).toBe(1);
    expect(await run('PERSIST', 'k')).toBe(0);
    expect(await run('EXPIRE', 'missing', '5')).toBe(0);
    expect(await run('EXPIRE', 'k', '0')).toBe(1);
    expect(await run('TTL', 'k')).toBe(-2);
    await run('SET', 'a', '1');
    await run('SET', 'b', '1');
    expect(await run('DEL', 'a', 'b', 'c')).toBe(2);
  });

  it('counts with INCR/DECR and refuses non-integers and overflow', async () => {
    expect(await run('INCR', 'n')).toBe(1);
    expect(await run('INCRBY', 'n', '10')).toBe(11);
    expect(await run('DECRBY', 'n', '5')).toBe(6);
    expect(await run('DECR', 'n')).toBe(5);
    await run('SET', 's', 'abc');
    await expect(run('INCR', 's')).rejects.toThrow('ERR value is not an integer or out of range');
    await run('SET', 'big', String(Number.MAX_SAFE_INTEGER));
    await expect(run('INCR', 'big')).rejects.toThrow('overflow');
  });

  it('keeps the TTL of a counter', async () => {
    await run('SET', 'n', '1', 'EX', '10');
    await run('INCR', 'n');
    expect(await run('PTTL', 'n')).toBe(10_000);
  });

  it('answers MGET with nulls for missing keys', async () => {
    await run('SET', 'a', '1');
    expect((await run('MGET', 'a', 'b')) as unknown[]).toEqual([Buffer.from('1'), null]);
  });

  it('names unknown commands, wrong arity and the missing Lua', async () => {
    await expect(run('HSET', 'h', 'f', 'v')).rejects.toThrow(/^ERR unknown command 'HSET'/);
    await expect(run('GET')).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    await expect(run('EVAL', 'return 1', '0')).rejects.toThrow(/no Lua/);
    await expect(run('SUBSCRIBE', 'c')).rejects.toThrow(/not supported/);
  });

  it('runs a pipeline past a failing command', async () => {
    expect(
      await backend.pipeline([
        ['SET', 'k', 'x'],
        ['INCR', 'k'],
        ['GET', 'k'],
      ]),
    ).toEqual([{ reply: 'OK' }, { error: 'ERR value is not an integer or out of range' }, { reply: Buffer.from('x') }]);
  });

  it('aborts a transaction with an unknown command before running anything', async () => {
    await expect(backend.transaction([['SET', 'k', '1'], ['NOPE']])).rejects.toThrow(/^EXECABORT/);
    expect(await run('GET', 'k')).toBeNull();
    expect(
      await backend.transaction([
        ['SET', 'k', '1'],
        ['INCR', 'k'],
      ]),
    ).toEqual([{ reply: 'OK' }, { reply: 2 }]);
  });
});
