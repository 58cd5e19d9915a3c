/** Open-redirect attempts on `return_to`, shared by the unit and middleware tests. */

/** Values that must fall back to `/`: other origins, schemes, slashes or backslashes that leave the origin, encodings of them. */
export const MUST_FALL_BACK: readonly (readonly [string, string])[] = [
  ['protocol-relative', '//evil.example'],
  ['triple slash', '///evil.example'],
  ['slash backslash', '/\\evil.example'],
  ['double backslash', '\\\\evil.example'],
  ['slash backslash slash', '/\\/evil.example'],
  ['absolute https', 'https://evil.example/admin'],
  ['absolute, mixed case scheme', 'HtTpS://evil.example'],
  ['scheme without slashes', 'http:evil.example'],
  ['scheme with one slash', 'https:/evil.example'],
  ['javascript:', 'javascript:alert(document.domain)'],
  ['javascript:, mixed case', 'JaVaScRiPt:alert(1)'],
  ['javascript: with a tab', 'java\tscript:alert(1)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['vbscript:', 'vbscript:msgbox(1)'],
  ['encoded //', '/%2F%2Fevil.example'],
  ['encoded //, lower case', '/%2f%2fevil.example'],
  ['encoded /\\', '/%5C%5Cevil.example'],
  ['encoded / then slash', '/%2F/evil.example'],
  ['encoded without leading slash', '%2F%2Fevil.example'],
  ['tab after the slash', '/\t/evil.example'],
  ['newline after the slash', '/\n/evil.example'],
  ['CR LF (header injection)', '/\r\nLocation: https://evil.example'],
  ['leading space', ' //evil.example'],
  ['leading NUL', '\u0000//evil.example'],
  ['dot-dot to protocol-relative', '/..//evil.example'],
  ['encoded dot-dot to protocol-relative', '/%2e%2e//evil.example'],
  ['mixed dot-dot to protocol-relative', '/.%2E//evil.example'],
  ['deeper dot-dot to protocol-relative', '/a/b/../../..//evil.example'],
  ['dot then dot-dot', '/./..//evil.example'],
  ['any dot segment', '/.%2e/evil.example'],
  ['unicode division slash', '/\u2215\u2215evil.example'],
  ['fullwidth solidus', '/\uFF0F\uFF0Fevil.example'],
  ['ideographic full stop host', '//evil\u3002example'],
  ['zero-width space', '/\u200b/evil.example'],
  ['bare host', 'evil.example'],
  ['query only', '?next=//evil.example'],
  ['fragment only', '#//evil.example'],
  ['backslash later in the path', '/admin\\..\\..\\evil'],
  ['empty', ''],
  ['too long', `/${'a'.repeat(5000)}`],
];

/** Every character the raw rule rejects (controls, whitespace, invisible, backslash, quotes, look-alike slashes). */
const REJECTED_CHARACTERS: readonly (readonly [string, string])[] = [
  ['NUL', '\u0000'],
  ['tab', '\t'],
  ['LF', '\n'],
  ['vertical tab', '\v'],
  ['form feed', '\f'],
  ['CR', '\r'],
  ['unit separator', '\u001f'],
  ['DEL', '\u007f'],
  ['space', ' '],
  ['no-break space', '\u00a0'],
  ['ideographic space', '\u3000'],
  ['line separator', '\u2028'],
  ['zero-width space', '\u200b'],
  ['byte order mark', '\ufeff'],
  ['backslash', '\\'],
  ['double quote', '"'],
  ['less-than', '<'],
  ['greater-than', '>'],
  ['backtick', '`'],
  ['caret', '^'],
  ['pipe', '|'],
  ['brace', '{'],
  ['square bracket', '['],
  ['division slash', '\u2215'],
  ['fraction slash', '\u2044'],
  ['fullwidth solidus', '\uff0f'],
  ['fullwidth reverse solidus', '\uff3c'],
  ['ideographic full stop', '\u3002'],
];

/**
 * The percent-encoded form of every rejected character (and of `/`), where a later decode would put it next to a
 * slash: decoded once, twice or three times, `/x/evil.example` may read `//evil.example` (tab, newline and
 * backslash turn into or vanish before a slash in URL parsers) or reach a dot segment.
 */
export const ENCODED_MUST_FALL_BACK: readonly (readonly [string, string])[] = [
  ...REJECTED_CHARACTERS.flatMap(([name, char]): [string, string][] => {
    const once = encodeURIComponent(char);
    return [
      [`encoded ${name} after the leading slash`, `/${once}/evil.example`],
      [`encoded ${name}, lower-case hex`, `/${once.toLowerCase()}/evil.example`],
      [`encoded ${name} deeper in the path`, `/admin/${once}/evil.example`],
      [`double-encoded ${name}`, `/${encodeURIComponent(once)}/evil.example`],
      [`triple-encoded ${name}`, `/${encodeURIComponent(encodeURIComponent(once))}/evil.example`],
    ];
  }),
  ['encoded slash after the leading slash', '/%2F/evil.example'],
  ['double-encoded //', '/%252F%252Fevil.example'],
  ['double-encoded /\\', '/%252F%255Cevil.example'],
  ['triple-encoded //', '/%25252F%25252Fevil.example'],
  ['encoded slashes after a dot-dot: /admin/..//evil once decoded', '/admin/..%2F%2Fevil.example'],
  ['encoded slashes after dot-dots, lower case', '/admin/..%2f..%2fevil.example'],
  ['double-encoded dot-dot and slashes', '/admin/%252E%252E%252F%252Fevil.example'],
  ['encoded dot-dot as a whole segment', '/admin/%2e%2e'],
  ['a trailing dot-dot', '/admin/..'],
  ['a trailing encoded dot-dot', '/%2e%2e'],
  ['a trailing dot', '/admin/.'],
  ['a dot-dot before the query', '/admin/..?x=1'],
  ['encoded four times: more decoding than any hop needs', '/%2525252F'],
  ['a percent sign that does not decode', '/100%'],
  ['a truncated percent-encoding', '/caf%C3'],
];

/** Odd-looking values that are still same-origin paths: kept, and must resolve on the app's origin. */
export const KEPT_SAME_ORIGIN: readonly string[] = [
  '/admin/keys?tab=1#top',
  '/@evil.example',
  '/x?redirect=https://evil.example',
  '/search?q=a%20b%2F%2Fc%09',
  '/caf%C3%A9/%E6%97%A5%E6%9C%AC',
  '/docs/a%2Fb',
  '/admin/..%2e',
  '/admin/...',
];

/** The property every result must have: resolved against the app, it stays on the app and is not `//…`. */
export function staysOnOrigin(value: string, origin = 'http://localhost:3000'): boolean {
  const url = new URL(value, origin);
  return url.origin === origin && !/^\/[/\\]/.test(url.pathname);
}
