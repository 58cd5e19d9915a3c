/** Record separator of RFC 4180: CRLF. */
export const CSV_EOL = '\r\n';

/**
 * A position where a spreadsheet may start a new cell: the field's start, or just after any character some
 * locale or import dialog uses as a separator (`,` `;` tab `|`) or a line break — when what follows (after
 * blanks and quotes, which a spreadsheet may strip; a line break is a start of its own) would start a formula: `=` `+` `-` `@`, tab, CR or `|`
 * (DDE), including their full-width forms.
 */
const CELL_START_BEFORE_FORMULA = /(^|[,;\t|\r\n])(?=(?:[^\S\r\n]|")*[=+\-@\t\r|＝＋－＠])/gu;

/**
 * One CSV field per RFC 4180, always quoted (quotes doubled), so no separator or line break inside a value can
 * split it for a strict reader. Defused against CSV injection as OWASP advises: a `'` goes in front of every
 * place where a spreadsheet that splits on another separator (`;` in many locales, tab, `|`) would see a cell
 * starting with a formula character — audit fields such as a route or a user agent carry text chosen by
 * whoever sent the request. The `'` makes the spreadsheet show text; the export shows it too.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '""';
  const text = String(value).replace(CELL_START_BEFORE_FORMULA, "$1'");
  return `"${text.replaceAll('"', '""')}"`;
}

/** One CSV record (without the line break). */
export function csvRow(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return fields.map(csvField).join(',');
}
