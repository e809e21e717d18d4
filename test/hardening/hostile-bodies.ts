import { gzipSync } from 'node:zlib';
import { bytesAt, fieldPath, nested, rawAt, setAt, withMember, type Body } from './body-builders';
import type { RawRequest } from './refusals';

export type BodyRequest = Pick<RawRequest, 'body' | 'contentType' | 'headers'>;

/** A hostile body, built from an endpoint's valid body so that the hostile part is the only thing wrong. */
export interface BodyCase {
  name: string;
  status: 400 | 413 | 415;
  /** Also sent to endpoints that take no body: the guard before every route must refuse it there too. */
  anyEndpoint?: boolean;
  build: (base: Body) => BodyRequest | string | Buffer;
}

const megabyte = 1024 * 1024;
const json = (base: Body) => JSON.stringify(base);
const topKey = (base: Body) => Object.keys(base)[0];
const at = (base: Body, raw: string) => rawAt(base, fieldPath(base), raw);
const withField = (base: Body, value: unknown) => json(setAt(base, fieldPath(base), value));
const invalidUtf8 = (bytes: number[]) => (base: Body) => bytesAt(base, fieldPath(base), bytes);
const encoded = (encoding: string) => (base: Body) => ({ body: json(base), headers: { 'Content-Encoding': encoding } });
const typed =
  (contentType: string, body: (base: Body) => string = json) =>
  (base: Body) => ({ contentType, body: body(base) });
const manyKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));
let gzipBomb: Buffer | undefined;

const pollutingKeys = ['__proto__', 'constructor', 'prototype'].flatMap((key): BodyCase[] => [
  { name: `a top-level ${key} key`, status: 400, build: (base) => withMember(base, `"${key}":{"polluted":true}`) },
  { name: `a nested ${key} key`, status: 400, build: (base) => at(base, `{"${key}":{"polluted":true}}`) },
]);

const shapes: BodyCase[] = [
  { name: 'objects nested 1,000 levels deep', status: 400, build: (base) => at(base, nested('{"a":', '}', 1_000)) },
  { name: 'arrays nested 1,000 levels deep', status: 400, build: (base) => at(base, nested('[', ']', 1_000)) },
  { name: 'arrays nested 100,000 levels deep', status: 400, build: () => nested('[', ']', 100_000, '') },
  { name: 'an object of 10,000 keys', status: 400, build: (base) => json({ ...base, ...manyKeys(10_000) }) },
  { name: 'an array of 10,000 elements', status: 400, build: (base) => withField(base, Array(10_000).fill(0)) },
  { name: 'a 900 KB string in a field', status: 400, build: (base) => withField(base, 'x'.repeat(900_000)) },
  { name: 'a 900 KB key', status: 400, build: (base) => json({ ...base, ['k'.repeat(900_000)]: 'x' }) },
  { name: 'a body just over 1 MB', status: 413, build: (base) => withField(base, 'x'.repeat(megabyte)) },
  {
    name: 'a gzip body that inflates past 1 MB',
    status: 413,
    build: (base) => {
      gzipBomb ??= gzipSync(withField(base, ' '.repeat(8 * megabyte)));
      return { body: gzipBomb, headers: { 'Content-Encoding': 'gzip' } };
    },
  },
  { name: 'a corrupt gzip body', status: 400, build: encoded('gzip') },
  { name: 'a corrupt brotli body', status: 400, build: encoded('br') },
  { name: 'an unsupported Content-Encoding', status: 415, build: encoded('compress') },
];

const operators: BodyCase[] = [
  { name: 'a $set document', status: 400, build: (base) => json({ $set: base }) },
  { name: 'a top-level $where key', status: 400, build: (base) => withMember(base, '"$where":"sleep(1000)"') },
  { name: 'a {"$ne": null} value', status: 400, build: (base) => at(base, '{"$ne":null}') },
  { name: 'a {"$gt": ""} value', status: 400, build: (base) => at(base, '{"$gt":""}') },
  { name: 'a {"$regex": ".*"} value', status: 400, build: (base) => at(base, '{"$regex":".*"}') },
  { name: 'an operator inside an array', status: 400, build: (base) => at(base, '[{"$in":["a"]}]') },
  { name: 'a key holding $', status: 400, build: (base) => withMember(base, '"a$b":"x"', 'last') },
  {
    name: 'an operator in a repeated key (the last one wins)',
    status: 400,
    build: (base) => withMember(base, `"${topKey(base)}":{"$ne":null}`, 'last'),
  },
  { name: 'a dotted key', status: 400, build: (base) => json({ ...base, 'a.b': 'x' }) },
  {
    name: 'a dotted key extending a field',
    status: 400,
    build: (base) => json({ ...base, [`${topKey(base)}.x`]: 'x' }),
  },
  { name: 'an empty key', status: 400, build: (base) => json({ ...base, '': 'x' }) },
  ...pollutingKeys,
  { name: 'a __proto__ key inside an array', status: 400, build: (base) => at(base, '[{"__proto__":{"x":1}}]') },
];

const encodings: BodyCase[] = [
  { name: 'a null character in a string', status: 400, build: (base) => withField(base, 'a\u0000b') },
  { name: 'a null character in a key', status: 400, build: (base) => withMember(base, '"first\\u0000name":"x"') },
  { name: 'a raw null byte in a string', status: 400, build: invalidUtf8([0x61, 0x00, 0x62]) },
  { name: 'invalid UTF-8 bytes (ff fe)', status: 400, build: invalidUtf8([0xff, 0xfe]) },
  { name: 'an overlong UTF-8 encoding (c0 af)', status: 400, build: invalidUtf8([0xc0, 0xaf]) },
  { name: 'a UTF-8-encoded surrogate (ed a0 80)', status: 400, build: invalidUtf8([0xed, 0xa0, 0x80]) },
  { name: 'a truncated UTF-8 sequence (e2 82)', status: 400, build: invalidUtf8([0xe2, 0x82]) },
  {
    name: 'invalid UTF-8 in a key',
    status: 400,
    build: (base) => Buffer.concat([Buffer.from('{"'), Buffer.from([0xff]), Buffer.from(`":1,${json(base).slice(1)}`)]),
  },
  { name: 'a lone surrogate escape, which UTF-8 cannot store', status: 400, build: (base) => at(base, '"a\\ud800b"') },
  { name: 'a lone surrogate escape in a key', status: 400, build: (base) => withMember(base, '"\\udc00":"x"') },
  { name: 'truncated JSON', status: 400, build: (base) => json(base).slice(0, -1) },
  { name: 'JSON with trailing garbage', status: 400, build: (base) => `${json(base)} x` },
  { name: 'a NaN literal', status: 400, build: (base) => at(base, 'NaN') },
];

const mediaTypes: BodyCase[] = [
  { name: 'Content-Type text/plain', status: 415, build: typed('text/plain') },
  {
    name: 'Content-Type application/x-www-form-urlencoded',
    status: 415,
    build: typed('application/x-www-form-urlencoded', () => 'first_name=Ann&%24where=1'),
  },
  {
    name: 'Content-Type multipart/form-data',
    status: 415,
    build: typed(
      'multipart/form-data; boundary=b',
      (base) => `--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n${json(base)}\r\n--b--\r\n`,
    ),
  },
  {
    name: 'Content-Type application/xml',
    status: 415,
    build: typed('application/xml', () => '<first_name>Ann</first_name>'),
  },
  { name: 'Content-Type application/problem+json', status: 415, build: typed('application/problem+json') },
  { name: 'a charset other than UTF-8', status: 415, build: typed('application/json; charset=iso-8859-1') },
];

/** Endpoints without a body get these too: the brief's media types and one of each kind of hostile JSON. */
const anyEndpoint = new Set([
  'objects nested 1,000 levels deep',
  'a body just over 1 MB',
  'a $set document',
  'a top-level __proto__ key',
  'a null character in a string',
  'invalid UTF-8 bytes (ff fe)',
  'Content-Type text/plain',
  'Content-Type application/x-www-form-urlencoded',
  'Content-Type multipart/form-data',
]);

export const hostileBodies: BodyCase[] = [...shapes, ...operators, ...encodings, ...mediaTypes].map((c) => ({
  ...c,
  anyEndpoint: anyEndpoint.has(c.name),
}));

export function toRequest(built: BodyRequest | string | Buffer): BodyRequest {
  const request = typeof built === 'string' || Buffer.isBuffer(built) ? { body: built } : built;
  return { contentType: 'application/json', ...request };
}
