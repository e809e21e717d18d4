const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

/** After the first failed attempt 5 s, then 5 min, 30 min, 2 h, 5 h, 10 h, then every 10 h. */
const delaysMs = [5 * second, 5 * minute, 30 * minute, 2 * hour, 5 * hour, 10 * hour];
/** A delivery still failing this long after its event is given up. */
const giveUpAfterMs = 3 * 24 * hour;

/** When to try again after `failedAttempts` failures, or undefined once the delivery is to be given up. */
export function nextAttemptAt(failedAttempts: number, createdAt: Date, now = new Date()): Date | undefined {
  const delay = delaysMs[Math.min(failedAttempts, delaysMs.length) - 1] ?? delaysMs[0];
  const next = new Date(now.getTime() + delay);
  return next.getTime() - createdAt.getTime() > giveUpAfterMs ? undefined : next;
}
