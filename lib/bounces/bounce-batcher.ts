import "server-only";

type TWaiter<T> = { item: T; resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit: `add` resolves once its item is stored, and items that arrive while a write is in
 * flight go together in the next one. With little traffic each item is written on its own, at
 * once (no timer to wait for); under load batches grow by themselves, up to `maxBatch`, so one
 * statement carries hundreds of reports. The listener answers 250 only after `add` resolves, so
 * an accepted report is never lost: if the write fails, every sender in that batch gets a 4xx and
 * sends again. Writes run one after another: one connection, however many SMTP clients.
 */
export const createBounceBatcher = <T, R>({ write, maxBatch = 500, onWritten }: { write: (items: T[]) => Promise<R>; maxBatch?: number; onWritten?: (result: R, items: number) => void }) => {
  let queue: TWaiter<T>[] = [];
  let writing: Promise<void> | null = null;

  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
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
    // The next turn of the event loop, so reports parsed in this one join the same batch.
    writing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(drain)
      .finally(() => {
        writing = null;
        // An item added after the loop saw an empty queue, but before this ran, still gets written.
        if (queue.length > 0) start();
      });
  };

  return {
    add: (item: T) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        start();
      }),
    /** Resolves once everything added so far is written (or has failed). */
    flush: async () => {
      while (writing) await writing;
    },
  };
};
