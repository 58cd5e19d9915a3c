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

/** Odd-looking values that are still same-origin paths: kept, and must resolve on the app's origin. */
export const KEPT_SAME_ORIGIN: readonly string[] = [
  '/admin/keys?tab=1#top',
  '/@evil.example',
  '/%09/evil.example',
  '/%252F%252Fevil.example',
  '/x?redirect=https://evil.example',
  '/admin/..%2f..%2fevil.example',
];

/** The property every result must have: resolved against the app, it stays on the app and is not `//…`. */
export function staysOnOrigin(value: string, origin = 'http://localhost:3000'): boolean {
  const url = new URL(value, origin);
  return url.origin === origin && !/^\/[/\\]/.test(url.pathname);
}
