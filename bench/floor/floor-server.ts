/**
 * The floor: bare node:http and the official driver doing, per request, the least database work that answers
 * it (one indexed find or one update; two finds for a contact's history). No framework, no ODM, no validation.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { MongoClient, type Db, type Document } from 'mongodb';
import {
  byNamePrefix,
  bySearchTerms,
  contactById,
  historiesOf,
  legUpsert,
  lookup,
  newestFirstOrder,
  phonesOfContact,
  type FloorFind,
  type StoredTreeOrder,
} from './queries';

type Handler = (match: string, req: IncomingMessage, url: URL) => Promise<unknown>;

function find<T extends Document = Document>(db: Db, query: FloorFind): Promise<T[]> {
  const cursor = db.collection(query.collection).find<T>(query.filter, { projection: query.projection });
  if (query.sort) cursor.sort(query.sort);
  if (query.limit) cursor.limit(query.limit);
  return cursor.toArray();
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>; // no validation: the floor
}

function routes(db: Db, engine: 'mongodb' | 'ferretdb'): [string, RegExp, Handler][] {
  return [
    // The launcher checks the pid: the process answering on the port is the one it started.
    ['GET', /^\/health$/, () => Promise.resolve({ pid: process.pid })],
    [
      'GET',
      /^\/contacts\/lookup$/,
      async (_m, _req, url) => {
        const query = lookup(url.searchParams);
        return { contacts: query ? await find(db, query) : [], matchedOn: [] };
      },
    ],
    ['GET', /^\/contacts\/getContactByName\/(.+)$/, (name) => find(db, byNamePrefix(decodeURIComponent(name)))],
    [
      'POST',
      /^\/contacts\/getContactsBySearchTerms$/,
      async (_m, req) => find(db, bySearchTerms((await readJson(req)) as Record<string, string>)),
    ],
    ['GET', /^\/contacts\/([0-9a-f]{24})$/, async (id) => (await find(db, contactById(id)))[0] ?? null],
    [
      'GET',
      /^\/interactions\/loadInteractions\/([0-9a-f]{24})$/,
      async (id) => {
        const [contact] = await find<{ _phones?: string[] }>(db, phonesOfContact(id));
        if (!contact?._phones?.length) return [];
        const pages = await Promise.all(
          historiesOf(contact._phones, engine).map((query) => find<StoredTreeOrder>(db, query)),
        );
        return pages.length === 1 ? pages[0] : pages.flat().sort(newestFirstOrder).slice(0, 25);
      },
    ],
    [
      'POST',
      /^\/interactions\/updateOrSaveInteractionTree\/(.+)$/,
      async (callId, req) => {
        const body = (await readJson(req)) as Parameters<typeof legUpsert>[1];
        const { filter, update, leg } = legUpsert(decodeURIComponent(callId), body);
        const trees = db.collection<{ _id: string }>('interactions');
        // Two first posts of one call racing: the loser's upsert meets the winner's insert; once more updates it.
        await trees.updateOne(filter, update, { upsert: true }).catch((error: { code?: number }) => {
          if (error.code !== 11000) throw error;
          return trees.updateOne(filter, update);
        });
        return leg;
      },
    ],
  ];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

async function main(): Promise<void> {
  const client = await MongoClient.connect(process.env.FLOOR_MONGODB_URI!, { writeConcern: { w: 'majority' } });
  const db = client.db(process.env.FLOOR_DB_NAME);
  const table = routes(db, process.env.FLOOR_ENGINE === 'ferretdb' ? 'ferretdb' : 'mongodb');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://floor');
    for (const [method, pattern, handle] of table) {
      const match = req.method === method ? pattern.exec(url.pathname) : null;
      if (!match) continue;
      handle(match[1], req, url).then(
        (body) => send(res, body === null ? 404 : 200, body),
        (error: Error) => send(res, 500, { error: error.message }),
      );
      return;
    }
    send(res, 404, { error: 'no such route' });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void client.close().then(() => process.exit(0)));
  });
}

void main();
