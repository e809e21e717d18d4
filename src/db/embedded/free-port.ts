import net from 'node:net';

/** Asks the OS for a free loopback port. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Thrown by a start-up that found the port it was given taken. */
export class PortTakenError extends Error {}

/**
 * A port found free can be taken by another process before the child binds it (the test suite starts many engines
 * and servers at once): a start-up that throws PortTakenError is tried again on a new port.
 */
export async function onFreePort<T>(
  start: (port: number) => Promise<T>,
  nextPort: () => Promise<number> = findFreePort,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await nextPort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === attempts) throw error;
    }
  }
}
