export type Body = Record<string, unknown>;
type Path = string[];

const mark = '\u0001raw\u0001';

/** The path of the first string value, depth first: the field hostile values go into. */
function firstStringPath(value: unknown, path: Path = []): Path | undefined {
  if (typeof value === 'string') return path;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = firstStringPath(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

export function fieldPath(body: Body): Path {
  return firstStringPath(body) ?? [Object.keys(body)[0]];
}

/** A copy of the body with the value at path replaced; arrays stay arrays. */
export function setAt<T extends Body | unknown[]>(body: T, path: Path, value: unknown): T {
  const [head, ...rest] = path;
  const current = (body as Body)[head];
  const replaced = rest.length ? setAt(current as Body, rest, value) : value;
  if (Array.isArray(body)) return body.map((item, index) => (String(index) === head ? replaced : item)) as T;
  return { ...body, [head]: replaced };
}

/** The body as JSON text, with raw JSON text (which JSON.stringify could not produce) at path. */
export function rawAt(body: Body, path: Path, raw: string): string {
  return JSON.stringify(setAt(body, path, mark)).replace(JSON.stringify(mark), raw);
}

/** The body as bytes, with raw bytes (invalid UTF-8, say) inside the string at path. */
export function bytesAt(body: Body, path: Path, bytes: number[]): Buffer {
  const [before, after] = JSON.stringify(setAt(body, path, mark)).split(JSON.stringify(mark).slice(1, -1));
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

/** The body as JSON text with a raw member ("key": value) added first or last. */
export function withMember(body: Body, member: string, where: 'first' | 'last' = 'first'): string {
  const json = JSON.stringify(body);
  if (json === '{}') return `{${member}}`;
  return where === 'first' ? `{${member},${json.slice(1)}` : `${json.slice(0, -1)},${member}}`;
}

export const nested = (open: string, close: string, depth: number, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);
