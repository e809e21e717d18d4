import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathWithout, processesUsing, runServer } from './run-server';

const stackTrace = /\n\s+at /;

function occupyPort(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function temporaryDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cim-${name}-`));
}

describe('a server that cannot start', () => {
  it('says which port is taken and what to do, stops its embedded engine and exits 1', async () => {
    const taken = await occupyPort();
    const port = (taken.address() as net.AddressInfo).port;
    const dataDir = temporaryDir('port-taken');
    try {
      const { code, output } = await runServer({
        PORT: String(port),
        HOST: '127.0.0.1',
        CIM_DATA_DIR: dataDir,
        CIM_EMBEDDED_DB: process.env.CIM_TEST_ENGINE === 'mongod' ? 'mongod' : 'ferretdb',
        ...(process.env.CIM_FERRETDB_BIN ? { CIM_FERRETDB_BIN: process.env.CIM_FERRETDB_BIN } : {}),
      });

      expect(code).toBe(1);
      expect(output).toContain(`port ${port} on 127.0.0.1 is taken: stop what uses it, or set PORT to a free port`);
      expect(output).not.toMatch(/TypeError/);
      expect(output).not.toMatch(stackTrace);
      expect(processesUsing(dataDir)).toEqual([]);
    } finally {
      taken.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('without Go and without a built FerretDB, announces the build, says what to do and stops PostgreSQL', async () => {
    const dataDir = temporaryDir('no-go');
    const commands = temporaryDir('path-without-go');
    try {
      const { code, output } = await runServer({
        PATH: pathWithout('go', commands),
        HOST: '127.0.0.1',
        PORT: '0',
        CIM_DATA_DIR: dataDir,
        CIM_EMBEDDED_DB: 'ferretdb',
        CIM_FERRETDB_BIN: path.join(dataDir, 'not-built/ferretdb'),
      });

      expect(code).toBe(1);
      expect(output).toContain('FerretDB v1.24.2 is not built yet: building it once from the Go module proxy');
      expect(output).toContain('Go is not on PATH. Install Go 1.22 or later');
      expect(output).toContain('or set CIM_FERRETDB_BIN to a built FerretDB v1.24.2');
      expect(output).toContain('or set MONGODB_URI to your MongoDB');
      expect(output).not.toMatch(stackTrace);
      expect(processesUsing(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(commands, { recursive: true, force: true });
    }
  });

  const goInstalled = spawnSync('go', ['version']).status === 0;
  // Without Go the download is never tried; the test above covers that machine.
  (goInstalled ? it : it.skip)('says the Go module proxy download failed and what to do, and exits 1', async () => {
    const dataDir = temporaryDir('no-proxy');
    const moduleCache = temporaryDir('empty-module-cache');
    try {
      const { code, output } = await runServer({
        HOST: '127.0.0.1',
        PORT: '0',
        CIM_DATA_DIR: dataDir,
        CIM_EMBEDDED_DB: 'ferretdb',
        CIM_FERRETDB_BIN: path.join(dataDir, 'not-built/ferretdb'),
        GOPROXY: 'off',
        GOMODCACHE: moduleCache,
        GOFLAGS: '-modcacherw',
      });

      expect(code).toBe(1);
      expect(output).toContain('downloading FerretDB v1.24.2 from the Go module proxy failed');
      expect(output).toContain('Check the network and GOPROXY, or set CIM_FERRETDB_BIN');
      expect(output).not.toMatch(stackTrace);
      expect(processesUsing(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(moduleCache, { recursive: true, force: true });
    }
  });
});
