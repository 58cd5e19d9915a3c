import { describe, expect, it } from 'vitest';
import { requestKind, returnPathOf } from './request-kind';

const req = (method: string, headers: Record<string, string> = {}) => ({ method, headers: new Headers(headers) });

describe('requestKind', () => {
  it.each([
    ['server action POST', req('POST', { 'next-action': 'abc123', accept: 'text/x-component' }), 'server-action'],
    [
      'document navigation',
      req('GET', { accept: 'text/html,application/xhtml+xml', 'sec-fetch-dest': 'document' }),
      'page',
    ],
    ['client-side navigation (RSC)', req('GET', { rsc: '1', accept: '*/*' }), 'page'],
    ['router prefetch', req('GET', { 'next-router-prefetch': '1' }), 'page'],
    [
      'client navigation as middleware sees it (flight headers stripped)',
      req('GET', { accept: '*/*', 'x-nextjs-request-id': '1a2b', 'sec-fetch-dest': 'empty' }),
      'page',
    ],
    ['client navigation with next-url', req('GET', { accept: '*/*', 'next-url': '/admin' }), 'page'],
    ['fetch from a script', req('GET', { accept: 'application/json' }), 'api'],
    ['curl default', req('GET', { accept: '*/*' }), 'api'],
    ['form POST to a route handler', req('POST', { accept: 'text/html' }), 'api'],
    ['DELETE', req('DELETE'), 'api'],
    [
      'next-action header on GET is not an action',
      req('GET', { 'next-action': 'x', accept: 'application/json' }),
      'api',
    ],
    ['server action POST, lower-case method', req('post', { 'next-action': 'abc123' }), 'server-action'],
    ['PUT with next-action is not an action', req('PUT', { 'next-action': 'abc123', accept: 'text/html' }), 'api'],
    ['HEAD of a page', req('HEAD', { accept: 'text/html' }), 'page'],
    ['HEAD from a script', req('HEAD', { accept: '*/*' }), 'api'],
    ['HEAD, lower-case method, of a document', req('head', { 'sec-fetch-dest': 'document' }), 'page'],
    ['OPTIONS with accept text/html', req('OPTIONS', { accept: 'text/html' }), 'api'],
    ['document load without accept: text/html', req('GET', { 'sec-fetch-dest': 'document' }), 'page'],
    ['document load with accept */*', req('GET', { 'sec-fetch-dest': 'document', accept: '*/*' }), 'page'],
    ['an iframe load is not a document navigation', req('GET', { 'sec-fetch-dest': 'iframe', accept: '*/*' }), 'api'],
    ['rsc other than 1', req('GET', { rsc: '0', accept: '*/*' }), 'api'],
    ['no headers at all', req('GET'), 'api'],
  ])('%s → %s', (_name, request, kind) => expect(requestKind(request)).toBe(kind));
});

describe('returnPathOf', () => {
  it('keeps path and query, drops the RSC cache-buster', () => {
    expect(returnPathOf(new URL('http://app.test/admin/keys?tab=2&_rsc=abc'))).toBe('/admin/keys?tab=2');
    expect(returnPathOf(new URL('http://app.test/admin?_rsc=1'))).toBe('/admin');
  });
});
