import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/test-app';

const README = path.resolve(__dirname, '../../README.md');
const README_URL = 'http://localhost:3000';

/** The ```sh blocks of the README section that starts with `heading`, in order. */
function shellBlocksOfSection(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "${heading}"`);
  const next = markdown.indexOf('\n## ', start + heading.length + 1);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

let t: TestApp;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  t = await startTestApp();
  server = t.cim.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

describe('the README walkthrough', () => {
  it('runs as written, top to bottom, and ends with the call history holding the legs it posted', async () => {
    const blocks = shellBlocksOfSection(fs.readFileSync(README, 'utf8'), '## A first walkthrough');
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const script = blocks.join('\n').replaceAll(README_URL, baseUrl);
    expect(script).not.toContain('localhost:3000');

    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { timeout: 60_000 });

    const history = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
    expect(history).toEqual([
      {
        call_Id: 'call-0001',
        phone_number: '4155550100',
        interactions: [
          { type: 'IVR', start_time: '2024-05-01T09:29:10.000Z', call_id: 'call-0001', ivr_trail: 'main>billing' },
          {
            type: 'agent',
            agentId: 'agent7',
            start_time: '2024-05-01T09:30:00.000Z',
            call_id: 'call-0001',
            team_name: 'Billing',
            call_duration: '185',
            call_disposition: 'resolved',
          },
        ],
      },
    ]);
  });
});
