import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generateContact } from '../dataset/contacts';
import { createRandom } from '../dataset/random';

/** The columns of the issue's import file: names, two phones as people write them, two unique values, an enum. */
const importColumns = ['first_name', 'last_name', 'phone1', 'mobile', 'email', 'accountNo', 'tier'] as const;

/** The attributes the import bench defines (besides the system ones): email and account number are unique. */
export const importAttributes = [
  { key: 'mobile', label: 'Mobile', type: 'phone' },
  { key: 'email', label: 'Email', type: 'email', unique: true },
  { key: 'accountNo', label: 'Account number', type: 'string', unique: true },
  { key: 'tier', label: 'Tier', type: 'enum', options: ['bronze', 'silver', 'gold', 'platinum'] },
] as const;

const tiers = ['bronze', 'silver', 'gold', 'platinum'];

export interface ImportRowValues {
  cells: string[];
  /** The caller's number as a CTI delivers it, for screen pops on the imported contacts. */
  ani: string;
}

/**
 * Row `index` of the file. `revision` 0 is the first import; a later revision changes every row (its tier and
 * its mobile), so an upsert of it updates each contact: the slow case of an upsert, not the all-unchanged one.
 */
export function importRow(index: number, revision: number, seed: number): ImportRowValues {
  const contact = generateContact(index, createRandom(seed * 1_000_003 + index));
  const input = contact.input;
  const local = String(input.email).split('@')[0];
  const mobile = `+1 (415) ${String(200 + ((index + revision * 7) % 800)).padStart(3, '0')}-${String(index % 10_000).padStart(4, '0')}`;
  const cells = [
    String(input.first_name),
    String(input.last_name),
    String(input.phone1),
    mobile,
    `${local}.${index}@example.com`,
    String(input.accountNo),
    tiers[(index + revision) % tiers.length],
  ];
  return { cells, ani: contact.anis[0] };
}

function csvLine(cells: string[]): string {
  return `${cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')}\r\n`;
}

/** The file as a stream of lines, generated as it is read: a 1,000,000-row file never sits in the bench's memory. */
/** A generated file: rows `firstRow` to `firstRow + rows - 1` of the data set, at a revision. */
export interface ImportFileSpec {
  rows: number;
  firstRow: number;
  revision: number;
  seed: number;
}

function* linesOf(file: ImportFileSpec): Generator<string> {
  yield csvLine([...importColumns]);
  for (let index = file.firstRow; index < file.firstRow + file.rows; index++) {
    yield csvLine(importRow(index, file.revision, file.seed).cells);
  }
}

/** Writes the file to disk, as an admin's file is there before `cim import` or curl sends it. */
export async function writeImportFile(file: ImportFileSpec, filePath: string): Promise<void> {
  await pipeline(Readable.from(linesOf(file)), fs.createWriteStream(filePath));
}
