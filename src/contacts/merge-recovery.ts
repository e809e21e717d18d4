import type { Logger } from '../logger';
import type { MergeService } from './merge.service';

/** How often each instance looks for merges a crash left pending (an indexed equality that finds none). */
const recoveryEveryMs = 5_000;

/** Completes merges left pending by a crashed instance: at start, then every few seconds, one pass at a time. */
export function startMergeRecovery(merges: MergeService, logger: Logger) {
  let running: Promise<void> | undefined;
  const pass = () => {
    running ??= merges
      .completePendingMerges()
      .then(
        (completed) => {
          if (completed) logger.info({ completed }, `completed ${completed} merges left pending by a crash`);
        },
        (error: unknown) => logger.error({ err: error }, 'completing pending merges failed; the next pass retries'),
      )
      .finally(() => (running = undefined));
  };
  pass();
  const timer = setInterval(pass, recoveryEveryMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
