import "server-only";

type TWaiter<T> = { item: T; resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit: `add` resolves once its item is stored, and items that arrive while writes are in
 * flight go together in the next one. With little traffic each item is written on its own, at
 * once (no timer to wait for); under load batches grow by themselves, up to `maxBatch`. The
 * listener answers 250 only after `add` resolves, so an accepted report is never lost: if a write
 * fails, every sender in that batch gets a 4xx and sends again.
 *
 * One write at a time, on one connection: measured with 10 SMTP clients, 2 or 4 writes side by
 * side made smaller batches and fewer reports a second (993/s and 829/s against 1,093/s).
 */
export const createBounceBatcher = <T, R>({
  write,
  maxBatch = 500,
  onWritten,
}: {
  write: (items: T[]) => Promise<R>;
  maxBatch?: number;
  onWritten?: (result: R, items: number) => void;
}) => {
  const queue: TWaiter<T>[] = [];
  let writing = false;
  const idle: (() => void)[] = [];

  const drain = async () => {
    // The next turn of the event loop, so reports parsed in this one join the same batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const result = await write(batch.map((waiter) => waiter.item));
        onWritten?.(result, batch.length);
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
  };

  const start = () => {
    if (writing) return;
    writing = true;
    void drain().finally(() => {
      writing = false;
      // An item added after the writer saw an empty queue, but before it stopped, still gets written.
      if (queue.length > 0) start();
      else idle.splice(0).forEach((resolve) => resolve());
    });
  };

  return {
    add: (item: T) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        start();
      }),
    /** Resolves once everything added so far is written (or has failed). */
    flush: () => (!writing && queue.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
  };
};
