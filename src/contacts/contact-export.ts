import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import type { Definitions } from '../attributes/definitions';
import type { ContactDocument } from './contact.model';
import { csvCell, csvWriteOptions, type CellValue } from '../values/csv-cell';
import { toContactResponse, type ContactResponse } from './contact-response';

export type ExportFormat = 'csv' | 'ndjson';

const mediaTypes: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson' };

/** `_id`, the attribute keys in definition order, `createdAt`, `updatedAt`. */
function exportColumns(definitions: Definitions): string[] {
  return ['_id', ...definitions.list.map((definition) => definition.key), 'createdAt', 'updatedAt'];
}

/**
 * Streams the contacts to the response, each as it is read: memory stays that of one cursor batch whatever the
 * size of the collection, and a slow client slows the read (backpressure), not the server.
 */
export async function streamExport(
  contacts: Readable,
  definitions: Definitions,
  format: ExportFormat,
  res: Response,
): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  res.status(200);
  res.setHeader('Content-Type', mediaTypes[format]);
  res.setHeader('Content-Disposition', `attachment; filename="contacts-${day}.${format}"`);
  try {
    await encode(contacts, definitions, format, res);
  } catch (error) {
    // A client that goes away mid-download ends the stream early: nobody is left to answer.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) return;
    throw error;
  }
}

async function encode(contacts: Readable, definitions: Definitions, format: ExportFormat, res: Response) {
  const asResponse = mapStream((document: ContactDocument) => toContactResponse(document));
  if (format === 'ndjson') {
    await pipeline(
      contacts,
      asResponse,
      mapStream((contact: ContactResponse) => `${JSON.stringify(contact)}\n`, false),
      res,
    );
    return;
  }
  const columns = exportColumns(definitions);
  const asRow = mapStream((contact: ContactResponse) => columns.map((column) => csvCell(contact[column] as CellValue)));
  await pipeline(contacts, asResponse, asRow, stringify({ ...csvWriteOptions, columns }), res);
}

function mapStream<I, O>(map: (input: I) => O, objectsOut = true): Transform {
  return new Transform({
    writableObjectMode: true,
    readableObjectMode: objectsOut,
    transform(chunk: I, _encoding, done) {
      done(null, map(chunk));
    },
  });
}
