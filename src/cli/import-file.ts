import fs from 'node:fs';
import path from 'node:path';
import { CliFailure } from './cli-failure';

const contentTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
};

export interface InputFile {
  path: string;
  contentType: string;
  csv: boolean;
  /** Opened once: what was checked is what is read. */
  fd: number;
  size: number;
}

/** Opens the file to import; the format comes from its extension. */
export function openInput(file: string): InputFile {
  const contentType = contentTypes[path.extname(file).toLowerCase()];
  if (!contentType)
    throw new CliFailure(
      `cannot tell the format of ${file}: name it .csv, .ndjson or .jsonl (one JSON object a line).`,
      2,
    );
  const fd = openOrFail(file);
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw new CliFailure(`${file} is not a file: give the CSV or NDJSON file to import.`, 2);
  }
  return { path: file, contentType, csv: contentType === 'text/csv', fd, size: stat.size };
}

function openOrFail(file: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliFailure(`${file} does not exist: give the path of the file to import.`, 2);
    throw new CliFailure(`cannot read ${file} (${code ?? (error as Error).message}).`, 2);
  }
}

/** Beside the input, with the input's extension: `contacts.csv` → `contacts.rejects.csv`. */
export function rejectsPathOf(file: string): string {
  const extension = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, extension)}.rejects${extension}`);
}
