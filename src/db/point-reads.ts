/** How many point reads go to the engine at once: enough to hide round trips, few beside its pool of 50. */
const concurrentReads = 20;

/**
 * One read per item, `concurrentReads` at a time, answers in the items' order. Point reads instead of one `$in`:
 * FerretDB v1 hands `_id` equalities to its index, but reads the whole collection for an `$in`.
 */
export async function readEach<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = [];
  for (let start = 0; start < items.length; start += concurrentReads) {
    answers.push(...(await Promise.all(items.slice(start, start + concurrentReads).map(read))));
  }
  return answers;
}
