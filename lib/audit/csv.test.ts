import { describe, expect, it } from 'vitest';
import { parseRfc4180 } from '../../test/helpers/rfc4180';
import { sampleRecord } from '../../test/helpers/audit-fixtures';
import { csvField, csvRow } from './csv';
import { AUDIT_CSV_COLUMNS, auditExportText } from './export-format';

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes null and undefined as empty fields, numbers and booleans as text', () => {
    expect(csvRow([null, undefined, 0, false, 43_200])).toBe(',,0,false,43200');
  });

  it.each(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tcmd'])('defuses %j so a spreadsheet shows text, not a formula', (input) => {
    const [[cell]] = parseRfc4180(csvField(input)) as [[string]];
    expect(cell).toBe(`'${input}`);
  });
});

describe('CSV export', () => {
  it('has exactly one header row even for an empty range', async () => {
    const text = await auditExportText([], 'csv');
    expect(parseRfc4180(text)).toEqual([[...AUDIT_CSV_COLUMNS]]);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('round-trips commas, quotes and line breaks through a strict reader, one row per record', async () => {
    const nasty = sampleRecord({ target: 'action "rotate, keys"\r\nnext', reason: 'stale', detail: { note: 'a,b "c"\nd' } });
    const plain = sampleRecord();
    const rows = parseRfc4180(await auditExportText([nasty, plain], 'csv'));
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r[0] === 'id')).toHaveLength(1);
    const header = rows[0] as string[];
    const byName = (row: string[]) => Object.fromEntries(header.map((h, i) => [h, row[i]]));
    for (const row of rows) expect(row).toHaveLength(AUDIT_CSV_COLUMNS.length);
    const first = byName(rows[1] as string[]);
    expect(first).toMatchObject({ id: nasty.id, target: 'action "rotate, keys"\r\nnext', reason: 'stale', user_id: 'user_alice', org_id: 'org_acme', evidence_methods: 'otp', policy_max_age: '43200' });
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
