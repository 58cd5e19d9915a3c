import { describe, expect, it } from 'vitest';
import { safeReturnTo, stepUpPath } from './return-to';

describe('safeReturnTo', () => {
  it.each([
    '/',
    '/admin',
    '/admin/keys?tab=1#top',
    '/a/b%41c',
    '/caf%C3%A9',
    "/path/with-~!$&'()*+,;=:@",
    '/a?x=%20',
    '/a#%0A',
    '/a/..b',
    '/a/.b./c',
  ])('keeps %s', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    'https://evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,x',
    'http:evil.example',
    'evil.example',
    '',
    ' /admin',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%2F%2Fevil.example',
    '/%5cevil.example',
    '/%2fevil.example',
    '/admin\\..\\x',
    '/a"b',
    '/<script>',
    '/a b',
    '\u0000/',
    '/\u200b/evil',
    // Percent-encoded, the same characters fall back too (test/hostile/return-to.test.ts has every one of them).
    '/a/b%20c',
    '/%09/evil.example',
    '/%5C/evil.example',
    '/admin/..%2F%2Fevil.example',
    '/%252F%252Fevil.example',
    // Dot segments anywhere in the path, also last, also before a query.
    '/admin/..',
    '/%2e%2e',
    '/admin/.',
    '/admin/%2E?x',
    '/./admin',
    '/a/../b',
    '/100%',
    '/%E2%88%95%E2%88%95evil.example',
    '/%2525252F',
  ])('rejects %j', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it.each([undefined, null, 42, ['/admin'], { toString: () => '/admin' }])('rejects non-strings (%j)', (value) => {
    expect(safeReturnTo(value, '/home')).toBe('/home');
  });

  it('rejects absurdly long paths', () => expect(safeReturnTo('/' + 'a'.repeat(5000))).toBe('/'));
  it('keeps a path of exactly 2048 characters, not one of 2049', () => {
    expect(safeReturnTo('/' + 'a'.repeat(2047))).toBe('/' + 'a'.repeat(2047));
    expect(safeReturnTo('/' + 'a'.repeat(2048))).toBe('/');
  });
  it.each(['/admin?q=<x>/y', '/admin?next=a b', '/admin#a"b/c', '/admin?x=1\r\nLocation: //evil.example'])(
    'checks the query and fragment as written: %j',
    (value) => {
      expect(safeReturnTo(value)).toBe('/');
    },
  );
  it('decodes the path at most three times', () => {
    expect(safeReturnTo('/a%252541')).toBe('/a%252541'); // three decodings: /a%2541, /a%41, /aA
    expect(safeReturnTo('/a%25252541')).toBe('/'); // still encoded after three
    expect(safeReturnTo('/a%2525252541')).toBe('/');
  });
});

describe('stepUpPath', () => {
  it('encodes the return path', () =>
    expect(stepUpPath('/admin/keys?x=1')).toBe('/step-up?return_to=%2Fadmin%2Fkeys%3Fx%3D1'));
  it('never carries an unsafe return path', () => expect(stepUpPath('//evil.example')).toBe('/step-up?return_to=%2F'));
});
