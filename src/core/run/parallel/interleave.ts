/**
 * Several generators driven at once (the lanes and the merge of a parallel run): each
 * has at most one `next()` in flight; whichever settles first is handled. Its yielded
 * values are passed on in the order they come; when one returns, it leaves the map and
 * its return value is returned, so the caller decides what follows. A generator that
 * throws stops the others (each is returned) and the error is rethrown.
 */
export interface Task<E, R> {
  gen: AsyncGenerator<E, R>;
  pending?: Promise<IteratorResult<E, R>>;
}

export type Tasks<E, R> = Map<string, AsyncGenerator<E, R> | Task<E, R>>;

function taskOf<E, R>(tasks: Tasks<E, R>, key: string): Task<E, R> {
  const value = tasks.get(key) as AsyncGenerator<E, R> | Task<E, R>;
  if ('gen' in value) return value;
  const task: Task<E, R> = { gen: value };
  tasks.set(key, task);
  return task;
}

export async function* interleave<E, R>(tasks: Tasks<E, R>): AsyncGenerator<E, R> {
  for (;;) {
    const racers = [...tasks.keys()].map((key) => {
      const task = taskOf(tasks, key);
      task.pending ??= task.gen.next();
      return task.pending.then(
        (result) => ({ key, result }),
        (error: unknown) => ({ key, error }),
      );
    });
    const first = await Promise.race(racers);
    const task = taskOf(tasks, first.key);
    delete task.pending;
    if ('error' in first) {
      tasks.delete(first.key);
      // Not awaited: a generator in the middle of a request returns once that settles.
      for (const other of tasks.keys()) {
        taskOf(tasks, other)
          .gen.return(undefined as R)
          .catch(() => undefined);
      }
      tasks.clear();
      throw first.error;
    }
    if (first.result.done) {
      tasks.delete(first.key);
      return first.result.value;
    }
    yield first.result.value;
  }
}
