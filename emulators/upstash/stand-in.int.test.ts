import { spawn } from 'node:child_process';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closedPort } from '../../test-support/free-port';
import { startUpstashStandIn, type UpstashStandIn } from './server';

const TOKEN = 'stand-in-token';
let counter = 0;
const key = (name: string) => `standin-test:${process.pid}:${++counter}:${name}`;

async function post(standIn: UpstashStandIn, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(standIn.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: (() => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    })(),
  };
}

const backends = [
  ['redis', () => startUpstashStandIn({ token: TOKEN, redisUrl: inject('redisUrl') })],
  ['memory', () => startUpstashStandIn({ token: TOKEN, memory: true })],
] as const;

describe.each(backends)('Upstash stand-in (%s backend)', (backendName, start) => {
  let standIn: UpstashStandIn;
  beforeAll(async () => {
    standIn = await start();
  });
  afterAll(() => standIn.close());

  const variants = [
    { responseEncoding: 'base64', enableAutoPipelining: true },
    { responseEncoding: 'base64', enableAutoPipelining: false },
    { responseEncoding: false, enableAutoPipelining: true },
    { responseEncoding: false, enableAutoPipelining: false },
  ] as const;

  describe.each(variants)(
    'through @upstash/redis (encoding $responseEncoding, auto-pipelining $enableAutoPipelining)',
    (options) => {
      const redis = () =>
        new Redis({
          url: standIn.url,
          token: TOKEN,
          automaticDeserialization: false,
          enableTelemetry: false,
          ...options,
        });

      it.each(['héllo ✓ 😀', 'OK', 'T0s=', '{"a":1}', '', '123', 'PONG'])(
        'round-trips the string %j exactly',
        async (value) => {
          const k = key('s');
          expect(await redis().set(k, value)).toBe('OK');
          expect(await redis().get(k)).toBe(value);
        },
      );

      it('answers strings, integers, nulls and arrays with Redis semantics', async () => {
        const c = redis();
        const [a, b, missing] = [key('a'), key('b'), key('missing')];
        expect(await c.set(a, 'v', { ex: 60 })).toBe('OK');
        expect(await c.set(a, 'w', { nx: true })).toBeNull();
        const ttl = await c.ttl(a);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60);
        expect(await c.pttl(missing)).toBe(-2);
        expect(await c.incr(b)).toBe(1);
        expect(await c.incr(b)).toBe(2);
        expect(await c.get(missing)).toBeNull();
        expect(await c.mget(a, missing, b)).toEqual(['v', null, '2']);
        expect(await c.exists(a, b, missing)).toBe(2);
        expect(await c.del(a, b, missing)).toBe(2);
        expect(await c.ping()).toBe('PONG');
      });

      it('reports a command error with the Redis message', async () => {
        const k = key('notint');
        await redis().set(k, 'abc');
        await expect(redis().incr(k)).rejects.toThrow(/ERR value is not an integer or out of range/);
      });

      it('runs a pipeline in order and keeps per-command errors', async () => {
        const [k, n] = [key('p'), key('n')];
        const p = redis().pipeline();
        p.set(k, 'x');
        p.incr(k);
        p.incr(n);
        p.get(k);
        expect(await p.exec({ keepErrors: true })).toEqual([
          { result: 'OK', error: undefined },
          { result: undefined, error: 'ERR value is not an integer or out of range' },
          { result: 1, error: undefined },
          { result: 'x', error: undefined },
        ]);
      });

      it('runs a transaction (multi-exec)', async () => {
        const k = key('m');
        const m = redis().multi();
        m.set(k, '10');
        m.incr(k);
        m.get(k);
        expect(await m.exec()).toEqual(['OK', 11, '11']);
      });

      it('rejects a wrong token', async () => {
        const bad = new Redis({ url: standIn.url, token: 'wrong', enableTelemetry: false, retry: false, ...options });
        await expect(bad.get(key('x'))).rejects.toThrow(/Unauthorized/);
      });
    },
  );

  describe('wire format', () => {
    it('base64-encodes strings (not the OK status) only when asked', async () => {
      const k = key('enc');
      expect((await post(standIn, '/', ['SET', k, 'héllo'], { 'upstash-encoding': 'base64' })).json).toEqual({
        result: 'OK',
      });
      expect((await post(standIn, '/', ['GET', k], { 'upstash-encoding': 'base64' })).json).toEqual({
        result: Buffer.from('héllo').toString('base64'),
      });
      expect((await post(standIn, '/', ['GET', k])).json).toEqual({ result: 'héllo' });
      expect((await post(standIn, '/', ['INCR', key('i')], { 'upstash-encoding': 'base64' })).json).toEqual({
        result: 1,
      });
      expect((await post(standIn, '/', ['MGET', k, key('none')], { 'Upstash-Encoding': 'base64' })).json).toEqual({
        result: [Buffer.from('héllo').toString('base64'), null],
      });
    });

    it('accepts numbers as arguments, as the client sends them', async () => {
      const k = key('num');
      expect((await post(standIn, '/', ['SET', k, 5, 'EX', 60])).json).toEqual({ result: 'OK' });
      expect((await post(standIn, '/', ['INCRBY', k, 2])).json).toEqual({ result: 7 });
    });

    it('answers a command error with 400 {"error": "ERR …"}', async () => {
      const res = await post(standIn, '/', ['GET']);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: expect.stringMatching(/^ERR wrong number of arguments/i) });
    });

    it('answers /pipeline and /multi-exec with arrays of {result}/{error}', async () => {
      const k = key('arr');
      const pipeline = await post(standIn, '/pipeline', [
        ['SET', k, 'a'],
        ['INCR', k],
        ['GET', k],
      ]);
      expect(pipeline.status).toBe(200);
      expect(pipeline.json).toEqual([
        { result: 'OK' },
        { error: 'ERR value is not an integer or out of range' },
        { result: 'a' },
      ]);
      const multi = await post(standIn, '/multi-exec', [
        ['SET', k, '1'],
        ['INCR', k],
      ]);
      expect(multi.json).toEqual([{ result: 'OK' }, { result: 2 }]);
    });

    it('aborts a transaction with an unknown command before running any of it', async () => {
      const k = key('abort');
      const res = await post(standIn, '/multi-exec', [['SET', k, '1'], ['NOSUCHCOMMAND']]);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: expect.stringMatching(/^EXECABORT/) });
      expect((await post(standIn, '/', ['GET', k])).json).toEqual({ result: null });
    });

    it.each<[string, string, Record<string, string>, unknown, number]>([
      ['no Authorization header', '/', { authorization: '' }, ['PING'], 401],
      ['a malformed Authorization header', '/', { authorization: TOKEN }, ['PING'], 401],
      ['a body that is not JSON', '/', {}, '{oops', 400],
      ['an empty command', '/', {}, [], 400],
      ['an object argument', '/', {}, ['SET', 'k', { a: 1 }], 400],
      ['a pipeline that is not an array of commands', '/pipeline', {}, ['GET', 'k'], 400],
      ['an unknown path', '/get/k', {}, ['PING'], 404],
      ['a state-changing connection command', '/', {}, ['SELECT', '1'], 400],
    ])('rejects %s', async (_label, path, headers, body, status) => {
      const res = await post(standIn, path, body, headers);
      expect(res.status).toBe(status);
      expect(res.json).toEqual({ error: expect.any(String) });
    });

    it('only answers POST', async () => {
      const res = await fetch(standIn.url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(405);
    });
  });

  describe('fault switch (POST /__standin/fault)', () => {
    const setFault = (body: unknown) =>
      fetch(`${standIn.url}/__standin/fault`, { method: 'POST', body: JSON.stringify(body) });
    afterAll(async () => {
      await setFault({ mode: 'none' });
    });

    it('answers 500s, garbage or slowly, then recovers', async () => {
      expect((await setFault({ mode: 'error500' })).status).toBe(200);
      const failing = await post(standIn, '/', ['PING']);
      expect([failing.status, failing.json]).toEqual([500, { error: 'ERR stand-in fault: error500' }]);

      await setFault({ mode: 'garbage' });
      const garbage = await post(standIn, '/', ['PING']);
      expect(garbage.status).toBe(200);
      expect(garbage.json).toBeUndefined();

      await setFault({ mode: 'delay', delayMs: 300 });
      const start = performance.now();
      expect((await post(standIn, '/', ['PING'])).json).toEqual({ result: 'PONG' });
      expect(performance.now() - start).toBeGreaterThanOrEqual(290);

      await setFault({ mode: 'none' });
      expect((await post(standIn, '/', ['PING'])).json).toEqual({ result: 'PONG' });
    });

    it('rejects an unknown mode', async () => {
      const res = await setFault({ mode: 'explode' });
      expect(res.status).toBe(400);
      const health = (await (await fetch(`${standIn.url}/__standin/health`)).json()) as unknown;
      expect(health).toEqual({ ok: true, backend: backendName, fault: { mode: 'none' } });
    });
  });
});

describe('Upstash stand-in specifics', () => {
  it('forwards Lua to a real Redis, so @upstash/ratelimit works through it', async () => {
    const standIn = await startUpstashStandIn({ token: TOKEN, redisUrl: inject('redisUrl') });
    try {
      const redis = new Redis({ url: standIn.url, token: TOKEN, enableTelemetry: false });
      const limiter = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(2, '60 s'), prefix: key('rl') });
      const results = [];
      for (let i = 0; i < 3; i++) results.push((await limiter.limit('user_1')).success);
      expect(results).toEqual([true, true, false]);
    } finally {
      await standIn.close();
    }
  });

  it('says plainly that the in-memory mode has no Lua', async () => {
    const standIn = await startUpstashStandIn({ token: TOKEN, memory: true });
    try {
      const res = await post(standIn, '/', ['EVAL', 'return 1', '0']);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: expect.stringMatching(/^ERR unknown command: .*no Lua.*--redis-url/) });
    } finally {
      await standIn.close();
    }
  });

  it.each([
    [{ token: TOKEN }, /exactly one of redisUrl and memory/],
    [{ token: TOKEN, memory: true, redisUrl: 'redis://127.0.0.1:1' }, /exactly one of redisUrl and memory/],
    [{ token: '', memory: true }, /token is required/],
  ])('refuses bad options %o', async (options, message) => {
    await expect(startUpstashStandIn(options)).rejects.toThrow(message);
  });

  it('fails fast when the Redis behind it is unreachable', async () => {
    const start = performance.now();
    await expect(
      startUpstashStandIn({ token: TOKEN, redisUrl: `redis://127.0.0.1:${await closedPort()}` }),
    ).rejects.toThrow(/cannot connect to Redis/);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('runs from the CLI and stops on SIGTERM', async () => {
    const child = spawn(
      'node_modules/.bin/tsx',
      ['emulators/upstash/cli.ts', '--memory', '--port', '0', '--token', TOKEN],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        void exited.then(() => reject(new Error(`CLI exited early:\n${output}`)));
      });
      expect(output).toMatch(/IN-MEMORY MODE/);
      const redis = new Redis({ url, token: TOKEN, automaticDeserialization: false, enableTelemetry: false });
      await redis.set('cli-key', 'works');
      expect(await redis.get('cli-key')).toBe('works');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
