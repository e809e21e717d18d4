import { parse } from 'csv-parse/sync';
import { AppError } from '../http/app-error';

/** The column names of a CSV file from its first line (a BOM is dropped); attribute keys hold no newline. */
export function csvHeaderOf(text: string, complete: boolean): string[] {
  const end = text.indexOf('\n');
  if (end < 0 && !complete) {
    throw new AppError('bad-input', 'The header line of the file is longer than 1 MB.', { status: 400 });
  }
  const line = end < 0 ? text : text.slice(0, end);
  try {
    const header: string[] | undefined = parse(line, { bom: true, to: 1 })[0];
    return (header ?? []).map((column) => column.trim());
  } catch (error) {
    throw new AppError('bad-input', `The header line is not valid CSV: ${(error as Error).message}`, { status: 400 });
  }
}
