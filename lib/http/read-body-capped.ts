import "server-only";

export type TCappedBody = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; problem: "too_large" | "unreadable" };

const cancel = (stream: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array>) => {
  // Nothing to wait for: the client may never end its body, and the answer should not wait on it.
  stream.cancel().catch(() => undefined);
};

/**
 * Reads a request's body, at most `maxBytes` of it. The body is read as a stream, so a chunked body
 * (no Content-Length) is refused as soon as it passes the cap, not once it ends; a Content-Length
 * over the cap is refused before anything is read. Either way the rest is never read: the stream
 * is cancelled.
 */
export const readBodyCapped = async (request: Request, { maxBytes }: { maxBytes: number }): Promise<TCappedBody> => {
  const body = request.body;
  if (!body) return { ok: true, bytes: new Uint8Array(0) };
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    cancel(body);
    return { ok: false, problem: "too_large" };
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        cancel(reader);
        return { ok: false, problem: "too_large" };
      }
      chunks.push(value);
    }
  } catch {
    // The client went away mid-body, or the stream failed: there is nothing to answer.
    return { ok: false, problem: "unreadable" };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
};
