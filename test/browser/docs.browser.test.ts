import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = process.env.CIM_CHROMIUM_BIN ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let t: TestApp;
let server: Server;
let baseUrl: string;
let profileDir: string;
let browser: BrowserContext;

beforeAll(async () => {
  t = await startTestApp();
  server = createServer(t.cim.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-chromium-'));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  browser.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(profileDir, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** Every URL the page asked for outside this server: there should be none (closed networks, no CDN). */
function recordForeignRequests(page: Page): string[] {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${baseUrl}/`) && !url.startsWith('data:')) foreign.push(url);
  });
  return foreign;
}

describe('Swagger UI at /docs in headless Chromium', () => {
  it('renders every operation and runs "Try it out" on GET /getSchema with a 200', async () => {
    const page = await browser.newPage();
    const foreign = recordForeignRequests(page);

    await page.goto(`${baseUrl}/docs`);
    await page.locator('.opblock').first().waitFor();
    const operation = page.locator('.opblock-get', { has: page.locator('[data-path="/getSchema"]') });
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const liveStatus = operation.locator('.live-responses-table tbody .response-col_status');
    await liveStatus.waitFor();

    expect(await page.locator('.opblock').count()).toBe(t.cim.routes.length);
    expect((await liveStatus.textContent())?.trim()).toBe('200');
    expect(await operation.locator('.live-responses-table .microlight').first().textContent()).toContain(
      '"first_name"',
    );
    expect(foreign).toEqual([]);
  });
});
