import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../support/test-app';

const README = path.resolve(__dirname, '../../README.md');
const README_URL = 'http://localhost:3000';

/** The ```sh blocks of the README section that starts with `heading` (up to the next of its level), in order. */
function shellBlocksOfSection(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "${heading}"`);
  const level = heading.split(' ')[0];
  const ends = ['\n## ', `\n${level} `].map((marker) => markdown.indexOf(marker, start + heading.length + 1));
  const next = Math.min(...ends.filter((end) => end >= 0));
  const section = markdown.slice(start, Number.isFinite(next) ? next : undefined);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

async function runReadme(headings: string[]): Promise<string[]> {
  const markdown = fs.readFileSync(README, 'utf8');
  const script = headings
    .flatMap((heading) => shellBlocksOfSection(markdown, heading))
    .join('\n')
    .replaceAll(README_URL, baseUrl);
  expect(script).not.toContain('localhost:3000');
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { timeout: 60_000 });
  return stdout.trim().split('\n');
}

let t: TestApp;
let server: Server;
let baseUrl: string;

// Each test runs the README from its start, on a fresh database.
beforeEach(async () => {
  t = await startTestApp();
  server = t.cim.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

describe('the README walkthrough', () => {
  it('runs as written, top to bottom, and ends with the call history holding the legs it posted', async () => {
    expect(shellBlocksOfSection(fs.readFileSync(README, 'utf8'), '## A first walkthrough').length).toBeGreaterThan(4);

    const lines = await runReadme(['## A first walkthrough']);

    const history = JSON.parse(lines.at(-1) ?? '');
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

  it('goes on with duplicates and merge as written: Anne found, grouped, merged into Ann, and popped as Ann', async () => {
    const lines = await runReadme(['## A first walkthrough', '### Duplicates and merge']);

    const [duplicates, groups, dryRun, merge, redirect, popped] = lines.slice(-6);
    const ann = JSON.parse(merge).contact as { _id: string; mergedFrom: { id: string }[] };
    const anne = ann.mergedFrom[0].id;
    expect(JSON.parse(duplicates)).toMatchObject([{ contact: { _id: anne }, score: 0.75 }]);
    expect(JSON.parse(groups)).toEqual([
      {
        reason: { kind: 'phone', key: '+14155550100' },
        contactIds: [ann._id, anne].sort(),
        size: 2,
        cursor: 'phone:+14155550100',
      },
    ]);
    expect({ ...JSON.parse(dryRun), contact: undefined }).toEqual({
      ...JSON.parse(merge),
      dryRun: true,
      contact: undefined,
    });
    expect(JSON.parse(merge)).toMatchObject({
      contact: {
        first_name: 'Ann',
        last_name: 'Müller',
        mobile: '+14155550177',
        mergedFrom: [{ id: anne, phones: ['+14155550100', '+14155550177'] }],
      },
      mergedIds: [anne],
      conflicts: [
        { key: 'first_name', chosenFrom: ann._id },
        { key: 'last_name', chosenFrom: ann._id },
      ],
      dryRun: false,
    });
    expect(redirect).toBe(`301 ${baseUrl}/contacts/${ann._id}`);
    expect(JSON.parse(popped)).toMatchObject({ contacts: [{ _id: ann._id }] });
  });
});
