import type { Test } from 'supertest';

/** A supertest parser that keeps any body as text (supertest parses only JSON and text/plain itself). */
export const asText: Parameters<Test['parse']>[0] = (res, done) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => done(null, text));
};
