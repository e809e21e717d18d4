import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestApp, type TestApp } from '../support/test-app';

const OPENAPI_FILE = path.resolve(__dirname, '../../openapi.yaml');
const HEADER = '# Generated from the route specs by `npm run openapi`; do not edit by hand.\n';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function readCommitted(): string {
  return fs.existsSync(OPENAPI_FILE) ? fs.readFileSync(OPENAPI_FILE, 'utf8') : '';
}

describe('openapi.yaml', () => {
  it('is the document a fresh app serves (when this fails, run npm run openapi and commit the file)', async () => {
    const { body: served } = await t.http.get('/openapi.json').expect(200);
    const generated = HEADER + stringify(served, { aliasDuplicateObjects: false, lineWidth: 0 });
    if (process.env.CIM_WRITE_OPENAPI === '1') fs.writeFileSync(OPENAPI_FILE, generated);

    const committed = readCommitted();

    expect(parse(committed)).toEqual(served);
    expect(committed).toBe(generated);
  });
});
