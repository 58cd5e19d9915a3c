import { describe, expect, it } from 'vitest';
import { parseRfc4180 } from '../../test/helpers/rfc4180';
import { sampleRecord } from '../../test/helpers/audit-fixtures';
import { csvField, csvRow } from './csv';
import { AUDIT_CSV_COLUMNS, auditExportText } from './export-format';

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', '"plain"'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['', '""'],
  ])('%j → %j (every field quoted)', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes null and undefined as empty fields, numbers and booleans as text', () => {
    expect(csvRow([null, undefined, 0, false, 43_200])).toBe('"","","0","false","43200"');
  });

  it.each(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd', '|cmd', ' =1', '"=1', '＝1'])(
    'defuses %j so a spreadsheet shows text, not a formula',
    (input) => {
      const [[cell]] = parseRfc4180(csvField(input)) as [[string]];
      expect(cell).toBe(`'${input}`);
    },
  );

  it.each([
    ['/admin/x;=2+5*cmd', "/admin/x;'=2+5*cmd"],
    ["Mozilla/5.0;=cmd|' /C calc'!A0", "Mozilla/5.0;'=cmd|' /C calc'!A0"],
    ['a\t@SUM(A1)', "a\t'@SUM(A1)"],
    ['a|-2', "a|'-2"],
    ['a,+1', "a,'+1"],
    ['a; \t=1', "a;' \t'=1"],
    ['line\r\n=1', "line\r\n'=1"],
    ['a||b', "a|'|b"],
  ])('defuses a formula after a separator: %j', (input, defused) => {
    const [[cell]] = parseRfc4180(csvField(input)) as [[string]];
    expect(cell).toBe(defused);
  });

  it.each([
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)',
    '2026-11-28T10:00:00.000Z',
    'GET /admin/a-b',
    'a; b, c|d',
  ])('leaves ordinary text alone: %j', (input) => {
    expect(parseRfc4180(csvField(input))).toEqual([[input]]);
  });
});

/** Formula triggers a spreadsheet acts on at the start of a cell (OWASP CSV injection), plus `|` (DDE). */
const TRIGGER = /^[=+\-@\t\r|＝＋－＠]/u;

/** Every cell a spreadsheet could see, whatever separator it splits on: quotes and blanks stripped. */
function cellsUnderAnySeparator(text: string): string[] {
  return text.split(/[,;\t|\r\n]/).map((cell) => cell.replace(/^[\s"]+/u, ''));
}

describe('CSV export under any separator (issue 13, finding 2)', () => {
  const hostile = [
    sampleRecord({ target: 'GET /admin/x;=2+5*cmd', userAgent: "Mozilla/5.0;=cmd|' /C calc'!A0" }),
    sampleRecord({ target: 'GET /admin/a|=1+1', userAgent: 'curl/8.0\t@SUM(1+1)*cmd|" /C calc"!A0', reason: '-2+3' }),
    sampleRecord({
      target: 'GET /admin/" ;=HYPERLINK("https://evil.test")',
      userAgent: ' ; +cmd',
      requestId: '=1;-1',
      ip: '203.0.113.7',
    }),
    sampleRecord({ target: 'action x,\r\n=1', detail: { note: 'a;=1', other: '|cmd', list: 'x,@y' } }),
    sampleRecord({ target: 'GET /ＡＤＭＩＮ;＝1+1', userAgent: 'UA;\u00a0=1' }),
  ];

  it('no cell starts with a formula trigger when a line is split on , ; tab or |', async () => {
    const text = await auditExportText(hostile, 'csv');
    const cells = cellsUnderAnySeparator(text);
    expect(cells.length).toBeGreaterThan(hostile.length * AUDIT_CSV_COLUMNS.length);
    expect(cells.filter((cell) => TRIGGER.test(cell))).toEqual([]);
  });

  it('the hostile values still read back (with the defusing quote) through a strict RFC 4180 reader', async () => {
    const rows = parseRfc4180(await auditExportText(hostile, 'csv'));
    const header = rows[0] as string[];
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    expect(rows).toHaveLength(hostile.length + 1);
    for (const row of rows) expect(row).toHaveLength(AUDIT_CSV_COLUMNS.length);
    expect(col(rows[1] as string[], 'target')).toBe("GET /admin/x;'=2+5*cmd");
    expect(col(rows[1] as string[], 'user_agent')).toBe("Mozilla/5.0;'=cmd|' /C calc'!A0");
    expect(col(rows[2] as string[], 'reason')).toBe("'-2+3");
  });
});

describe('CSV export', () => {
  it('has exactly one header row even for an empty range', async () => {
    const text = await auditExportText([], 'csv');
    expect(parseRfc4180(text)).toEqual([[...AUDIT_CSV_COLUMNS]]);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('round-trips commas, quotes and line breaks through a strict reader, one row per record', async () => {
    const nasty = sampleRecord({
      target: 'action "rotate, keys"\r\nnext',
      reason: 'stale',
      detail: { note: 'a,b "c"\nd' },
    });
    const plain = sampleRecord();
    const rows = parseRfc4180(await auditExportText([nasty, plain], 'csv'));
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r[0] === 'id')).toHaveLength(1);
    const header = rows[0] as string[];
    const byName = (row: string[]) => Object.fromEntries(header.map((h, i) => [h, row[i]]));
    for (const row of rows) expect(row).toHaveLength(AUDIT_CSV_COLUMNS.length);
    const first = byName(rows[1] as string[]);
    expect(first).toMatchObject({
      id: nasty.id,
      target: 'action "rotate, keys"\r\nnext',
      reason: 'stale',
      user_id: 'user_alice',
      organization_id: 'org_acme',
      evidence_methods: 'otp',
      policy_max_age: '43200',
    });
    expect(JSON.parse(first.detail as string)).toEqual({ note: 'a,b "c"\nd' });
    expect(byName(rows[2] as string[]).id).toBe(plain.id);
  });

  it('JSON export is an array of the records, one per line', async () => {
    const records = [sampleRecord(), sampleRecord({ decision: 'deny', reason: 'ledger_unavailable' })];
    const text = await auditExportText(records, 'json');
    expect(JSON.parse(text)).toEqual(records);
    expect(text.trim().split('\n')).toHaveLength(4);
    expect(JSON.parse(await auditExportText([], 'json'))).toEqual([]);
  });
});
