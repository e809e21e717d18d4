// A cell a spreadsheet would run as a formula (OWASP CSV injection); numbers and E.164 phones are data.
const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** What a CSV cell is made from: a contact's JSON value (dates are ISO strings already), or a file's cell. */
export type CellValue = string | number | boolean | null | undefined;

/** The cell as written to CSV: a formula-like text gets a leading apostrophe, as spreadsheets show text. */
export function csvCell(value: CellValue): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
}

/**
 * A cell read from a CSV file: the apostrophe `csvCell` put before formula-like text is taken off again, so that an
 * export or a rejects file imports back as it was exported (`'-` → `-`, `'+44 20 7946 0958` → a phone number).
 */
export function cellValueOf(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** csv-stringify's settings for every CSV CIM writes: CRLF between records, any cell holding a line break quoted. */
export const csvWriteOptions = { header: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;
