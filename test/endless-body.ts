/**
 * A request body that never ends, as a slow or hostile client's chunked upload: it hands out
 * `chunkBytes` per pull, only when pulled, and counts what was pulled and whether it was cancelled.
 */
export const endlessBody = ({ chunkBytes = 16 * 1024 }: { chunkBytes?: number } = {}) => {
  const counts = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      // Each chunk after a turn of the event loop, as from a socket: a reader that waits for the end
      // then still lets `within`'s timer fire.
      pull: async (controller) => {
        await new Promise((resolve) => setImmediate(resolve));
        counts.pulled += chunkBytes;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
      },
      cancel: () => {
        counts.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counts };
};

/** A POST with a streamed body: no Content-Length unless `headers` claims one. */
export const streamedPost = ({ body, headers = {} }: { body: ReadableStream<Uint8Array> | Uint8Array | string; headers?: Record<string, string> }) =>
  new Request("http://localhost/test", { method: "POST", body, headers, duplex: "half" } as RequestInit);

/** Fails when `promise` takes longer than `ms`: a reader that waits for an endless body's end never answers. */
export const within = <T>(promise: Promise<T>, ms = 2_000) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms: the body was read to its end`)), ms).unref())]);
