import autocannon from 'autocannon';
import type { ServerProcess } from '../servers/launch';

export interface LatencySample {
  requests: number;
  ratePerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** A busy contact centre's call rate: screen pops arrive at it, not as fast as the server could take them. */
export const screenPopRate = 50;

/**
 * Screen pops by ANI at a fixed rate for `durationS` seconds (or until `until` settles): the latency a caller
 * sees. A fixed rate, not saturation, so that an import's effect shows as latency rather than as lost throughput.
 */
export async function screenPopLatency(
  server: ServerProcess,
  apiKey: string,
  anis: string[],
  durationS: number,
  until?: Promise<unknown>,
): Promise<LatencySample> {
  let index = 0;
  const options: autocannon.Options = {
    url: server.url,
    connections: 4,
    overallRate: screenPopRate,
    duration: durationS,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          method: 'GET',
          path: `/contacts/lookup?ani=${encodeURIComponent(anis[index++ % anis.length])}`,
          headers: { authorization: `Bearer ${apiKey}` },
        }),
      },
    ],
  };
  let instance: autocannon.Instance | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error: Error | null, outcome: autocannon.Result) =>
      error ? reject(error) : resolve(outcome),
    );
    void until?.finally(() => instance?.stop());
  });
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    ratePerSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
