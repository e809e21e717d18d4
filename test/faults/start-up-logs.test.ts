import { testDatabaseUri, uniqueDbName } from '../support/test-app';
import { runServer } from './run-server';

const adminKey = `start-up-logs-admin-${process.pid}-key`;

function startWithLogFormat(logFormat: string | undefined) {
  return runServer({
    HOST: '127.0.0.1',
    PORT: '0',
    MONGODB_URI: testDatabaseUri(),
    CIM_DB_NAME: uniqueDbName(),
    CIM_API_KEYS: `admin:${adminKey}`,
    ...(logFormat ? { LOG_FORMAT: logFormat } : {}),
  });
}

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

describe('start-up logs', () => {
  it.each(['json', undefined])('LOG_FORMAT=%s off a terminal: JSON lines and a summary with fields', async (format) => {
    const { code, stdout, output } = await startWithLogFormat(format);

    expect(code).toBe(0);
    const lines = nonEmptyLines(stdout);
    expect(lines.filter((line) => !isJson(line))).toEqual([]);
    const summary = lines.map((line) => JSON.parse(line) as { url?: string; port?: number }).find((entry) => entry.url);
    expect(summary).toMatchObject({
      level: 30,
      msg: expect.stringMatching(/^CIM listening on http:\/\/127\.0\.0\.1:\d+; API docs: /),
      port: expect.any(Number),
      url: `http://127.0.0.1:${summary?.port}`,
      docs: `http://127.0.0.1:${summary?.port}/docs`,
      embedded: false,
      host: expect.any(String),
      auth: { enabled: true, keys: { admin: 1, agent: 0, integration: 0 } },
      logFormat: 'json',
    });
    expect(summary).not.toHaveProperty('uri');
    expect(output).not.toContain(adminKey);
  });

  it('LOG_FORMAT=pretty: readable lines without colour off a terminal, the summary naming the docs URL', async () => {
    const { code, stdout, output } = await startWithLogFormat('pretty');

    expect(code).toBe(0);
    const lines = nonEmptyLines(stdout);
    expect(lines.filter(isJson)).toEqual([]);
    expect(stdout).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: CIM listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(stdout).toMatch(/^ {4}API docs: http:\/\/127\.0\.0\.1:\d+\/docs$/m);
    expect(stdout).toMatch(/^ {4}auth: on, 1 admin key$/m);
    expect(stdout).not.toContain('\u001b[');
    expect(output).not.toContain(adminKey);
  });
});
