import { validationError, type FieldError } from '../http/app-error';
import type { Definitions } from '../attributes/definitions';
import type { ImportOptions } from './import-job';

/** Columns a file may carry beside the attributes: the id (to match on), and an export's timestamps and mergedFrom (ignored). */
export const readOnlyColumns = ['_id', 'createdAt', 'updatedAt', 'mergedFrom'];

/** What is wrong with the options whatever the file: matchOn must name a unique attribute or `_id`. */
export function optionProblems(options: ImportOptions, definitions: Definitions): FieldError[] {
  const { mode, matchOn } = options;
  if (mode === 'upsert' && !matchOn) return [{ path: 'matchOn', message: 'is required for mode=upsert' }];
  if (!matchOn || matchOn === '_id' || definitions.byKey.get(matchOn)?.unique) return [];
  return [{ path: 'matchOn', message: 'must be _id or an attribute with unique: true' }];
}

/** What is wrong with a CSV header: unknown or repeated columns, or a matchOn column missing. */
export function headerProblems(columns: string[], options: ImportOptions, definitions: Definitions): FieldError[] {
  if (columns.length === 0 || columns.every((column) => column === '')) {
    return [{ path: 'header', message: 'the first line must name the columns (attribute keys)' }];
  }
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) problems.push({ path: column, message: 'is a repeated column' });
    else if (!definitions.byKey.has(column) && !readOnlyColumns.includes(column)) {
      problems.push({ path: column, message: unknownColumnMessage(column, columns.length) });
    }
    seen.add(column);
  }
  if (options.matchOn && !columns.includes(options.matchOn)) {
    problems.push({ path: options.matchOn, message: 'is the matchOn column but the file has no such column' });
  }
  return problems;
}

/** Why a column is refused, and what to do: define it, drop it, or (one column holding tabs or ;) save as CSV. */
function unknownColumnMessage(column: string, columnCount: number): string {
  const separator = columnCount === 1 ? [...column].find((char) => char === '\t' || char === ';') : undefined;
  if (separator) {
    const name = separator === '\t' ? 'tabs' : 'semicolons';
    return `is not a defined attribute: the columns look separated by ${name}; save the file as comma-separated CSV`;
  }
  return 'is not a defined attribute: define it (POST /saveSchema) or remove the column';
}

// A header of 1,000 unknown columns is answered with a readable sentence, not all of them.
const maxNamedPaths = 10;

export function checkProblems(problems: FieldError[], what: string): void {
  if (!problems.length) return;
  const named = problems.slice(0, maxNamedPaths).map((problem) => problem.path);
  const more = problems.length > maxNamedPaths ? ` and ${problems.length - maxNamedPaths} more` : '';
  throw validationError(problems, `${what}: ${named.join(', ')}${more}.`);
}
