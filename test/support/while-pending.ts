/**
 * Sends one request after another, each once the previous one answered, from now until `pending` has answered:
 * every request is sent while `pending` is in flight, however fast or slow the machine. Returns their answers.
 */
export async function repeatWhilePending<T>(
  pending: PromiseLike<unknown>,
  send: (index: number) => PromiseLike<T>,
): Promise<T[]> {
  let answered = false;
  const settle = () => {
    answered = true;
  };
  const watched = Promise.resolve(pending).then(settle, settle);
  const answers: T[] = [];
  do answers.push(await send(answers.length));
  while (!answered);
  await watched;
  return answers;
}
