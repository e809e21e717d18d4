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
