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

interface Answer {
  status: number;
  body: Record<string, unknown> & { _id?: string };
}

/** Opens an operation, "Try it out", types the path parameters given, Execute: the answer as the page shows it. */
async function tryItOut(page: Page, method: string, path: string, params: Record<string, string> = {}) {
  const operation = page.locator(`.opblock-${method}`, { has: page.locator(`[data-path="${path}"]`) });
  await operation.locator('.opblock-summary-control').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  for (const [name, value] of Object.entries(params)) {
    await operation.locator(`tr[data-param-name="${name}"] input`).fill(value);
  }
  await operation.getByRole('button', { name: 'Execute' }).click();
  const liveStatus = operation.locator('.live-responses-table tbody .response-col_status');
  await liveStatus.waitFor();
  const text = await operation.locator('.live-responses-table .microlight').first().textContent();
  const description = operation.locator('.opblock-description-wrapper').first();
  return {
    status: Number((await liveStatus.textContent())?.trim()),
    body: JSON.parse(text ?? 'null'),
    description: (await description.count()) ? await description.textContent() : '',
  };
}

describe('Swagger UI, prefilled, on a fresh database', () => {
  it('answers 2xx to every operation executed as prefilled, in the order an admin goes', async () => {
    const fresh = await startTestApp();
    const freshServer = createServer(fresh.cim.app);
    await new Promise<void>((resolve) => freshServer.listen(0, '127.0.0.1', resolve));
    const freshUrl = `http://127.0.0.1:${(freshServer.address() as AddressInfo).port}`;
    const page = await browser.newPage();
    try {
      await page.goto(`${freshUrl}/docs`);
      await page.locator('.opblock').first().waitFor();
      const answers: Record<string, Answer & { description: string | null }> = {};
      const run = async (method: string, path: string, params: Record<string, string> = {}) => {
        answers[`${method} ${path}`] = await tryItOut(page, method, path, params);
        return answers[`${method} ${path}`].body;
      };

      const attribute = await run('post', '/saveSchema');
      const contact = await run('post', '/saveContact');
      const mapping = await run('post', '/mapping');
      await run('post', '/interactions/updateOrSaveInteractionTree/{call_Id}');
      await run('get', '/getSchema');
      await run('get', '/getContactList');
      await run('get', '/contacts/{contact_id}', { contact_id: contact._id! });
      await run('get', '/contacts/getContactByName/{name}');
      await run('post', '/contacts/getContactsBySearchTerms');
      await run('post', '/contacts/lookup');
      await run('get', '/mapping');
      await run('get', '/interactions/loadInteractions/{id}', { id: contact._id! });
      await run('get', '/interactions/call/{call_Id}');
      await run('put', '/contacts/{contact_id}', { contact_id: contact._id! });
      await run('put', '/schema/{schema_id}', { schema_id: attribute._id! });
      await run('put', '/mapping/{id}', { id: mapping._id! });

      const statuses = Object.fromEntries(
        Object.entries(answers).map(([operation, { status }]) => [operation, status]),
      );
      expect(Object.values(statuses).every((status) => status === 200)).toBe(true);
      expect(statuses).toMatchObject({ 'post /saveSchema': 200 });
      // The prefilled search, screen pop and history find what the prefilled writes created.
      expect(answers['post /contacts/getContactsBySearchTerms'].body).toEqual([
        answers['get /contacts/{contact_id}'].body,
      ]);
      expect(answers['post /contacts/lookup'].body.contacts).toEqual([answers['get /contacts/{contact_id}'].body]);
      expect(answers['get /interactions/loadInteractions/{id}'].body).toHaveLength(1);
      for (const [operation, { description }] of Object.entries(answers))
        expect([operation, description]).not.toEqual([operation, '']);
      expect(await page.locator('body').textContent()).not.toContain('additionalProp1');
    } finally {
      await page.close();
      await new Promise((resolve) => freshServer.close(resolve));
      await fresh.close();
    }
    // Sixteen operations through a real browser: a minute and more on two busy cores.
  }, 180_000);
});
