/** Record separator of RFC 4180: CRLF. */
export const CSV_EOL = '\r\n';

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, a double quote, CR or LF (quotes doubled).
 * A value a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`
 * (OWASP "CSV injection"): audit fields such as a route can carry text chosen by whoever sent the request.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record (without the line break). */
export function csvRow(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return fields.map(csvField).join(',');
}
