import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stripUpstashFlags, upstashLuaShim } from './upstash-lua';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('stripUpstashFlags', () => {
  it.each([
    ['#!lua flags=allow-key-locking\nreturn 1', '\nreturn 1'],
    ['#!lua flags=no-writes,allow-key-locking\nreturn 1', '#!lua flags=no-writes\nreturn 1'],
    ['#!lua flags=no-writes\nreturn 1', '#!lua flags=no-writes\nreturn 1'],
    ['return 1', 'return 1'],
    ['\n#!lua flags=allow-key-locking\nreturn 1', '\n#!lua flags=allow-key-locking\nreturn 1'],
  ])('%j → %j', (script, expected) => {
    expect(stripUpstashFlags(script)).toBe(expected);
  });
});

describe('upstashLuaShim', () => {
  const script = '#!lua flags=allow-key-locking\nreturn 1';
  const stripped = '\nreturn 1';

  it('strips EVAL scripts and maps their SHA for EVALSHA and SCRIPT EXISTS', () => {
    const shim = upstashLuaShim();
    expect(shim(['EVALSHA', sha1(script), '0']).command).toEqual(['EVALSHA', sha1(script), '0']);
    expect(shim(['eval', script, '1', 'k', 'a']).command).toEqual(['eval', stripped, '1', 'k', 'a']);
    expect(shim(['evalsha', sha1(script).toUpperCase(), '0']).command).toEqual(['evalsha', sha1(stripped), '0']);
    expect(shim(['SCRIPT', 'EXISTS', sha1(script), 'abc']).command).toEqual([
      'SCRIPT',
      'EXISTS',
      sha1(stripped),
      'abc',
    ]);
  });

  it('answers SCRIPT LOAD with the SHA the client computed', () => {
    const shim = upstashLuaShim();
    const rewritten = shim(['SCRIPT', 'LOAD', script]);
    expect(rewritten.command).toEqual(['SCRIPT', 'LOAD', stripped]);
    expect(rewritten.reply?.(Buffer.from(sha1(stripped)))).toEqual(Buffer.from(sha1(script)));
  });

  it('leaves every other command alone', () => {
    const shim = upstashLuaShim();
    expect(shim(['SET', 'k', '#!lua flags=allow-key-locking'])).toEqual({
      command: ['SET', 'k', '#!lua flags=allow-key-locking'],
    });
    expect(shim(['PING'])).toEqual({ command: ['PING'] });
  });
});
