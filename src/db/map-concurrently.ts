/** How many operations go to the engine at once: 4 to 20 measured alike (FerretDB is CPU-bound), so few. */
const concurrency = 8;

/**
 * One operation per item, `concurrency` at a time, answers in the items' order. For point reads instead of one
 * `$in` (FerretDB v1 hands `_id` equalities to its index, but reads the whole collection for an `$in`), and for
 * writes whose results are wanted one by one.
 */
export async function mapConcurrently<T, R>(items: readonly T[], operation: (item: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = [];
  for (let start = 0; start < items.length; start += concurrency) {
    answers.push(...(await Promise.all(items.slice(start, start + concurrency).map(operation))));
  }
  return answers;
}
