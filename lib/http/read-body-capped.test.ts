import { describe, expect, it } from "vitest";

import { readBodyCapped } from "@/lib/http/read-body-capped";
import { endlessBody, streamedPost, within } from "@/test/endless-body";

const CAP = 64 * 1024;
const CHUNK = 16 * 1024;

describe("readBodyCapped", () => {
  it("refuses a chunked body that never ends as soon as it passes the cap, pulls no more and cancels the stream", async () => {
    const { stream, counts } = endlessBody({ chunkBytes: CHUNK });
    const result = await within(readBodyCapped(streamedPost({ body: stream }), { maxBytes: CAP }));
    expect(result).toEqual({ ok: false, problem: "too_large" });
    // The chunk that passed the cap, and at most one more the stream queued ahead.
    expect(counts.pulled).toBeLessThanOrEqual(CAP + 2 * CHUNK);
    expect(counts.cancelled).toBe(true);
  });

  it("refuses a Content-Length over the cap before pulling anything", async () => {
    const { stream, counts } = endlessBody({ chunkBytes: CHUNK });
    const result = await within(readBodyCapped(streamedPost({ body: stream, headers: { "content-length": String(CAP + 1) } }), { maxBytes: CAP }));
    expect(result).toEqual({ ok: false, problem: "too_large" });
    expect(counts.pulled).toBe(0);
    expect(counts.cancelled).toBe(true);
  });

  it("does not trust a Content-Length under the cap: a longer body is refused once it passes the cap", async () => {
    const { stream, counts } = endlessBody({ chunkBytes: CHUNK });
    const result = await within(readBodyCapped(streamedPost({ body: stream, headers: { "content-length": "10" } }), { maxBytes: CAP }));
    expect(result).toEqual({ ok: false, problem: "too_large" });
    expect(counts.cancelled).toBe(true);
  });

  it("reads a body of exactly the cap, byte for byte, and refuses one byte more", async () => {
    const exact = new Uint8Array(CAP).map((_, index) => index % 251);
    const read = await readBodyCapped(streamedPost({ body: exact }), { maxBytes: CAP });
    expect(read.ok && Buffer.from(read.bytes).equals(Buffer.from(exact))).toBe(true);
    expect(await readBodyCapped(streamedPost({ body: new Uint8Array(CAP + 1) }), { maxBytes: CAP })).toEqual({ ok: false, problem: "too_large" });
  });

  it("reads a body sent in many small chunks whole", async () => {
    const parts = Array.from({ length: 40 }, (_, index) => new TextEncoder().encode(`part ${index};`));
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => (parts.forEach((part) => controller.enqueue(part)), controller.close()) });
    const read = await readBodyCapped(streamedPost({ body: stream }), { maxBytes: CAP });
    expect(read.ok && new TextDecoder().decode(read.bytes)).toBe(parts.map((part) => new TextDecoder().decode(part)).join(""));
  });

  it("reads no body as an empty one", async () => {
    const read = await readBodyCapped(new Request("http://localhost/test", { method: "POST" }), { maxBytes: CAP });
    expect(read.ok && read.bytes.byteLength).toBe(0);
  });

  it("says a body that fails mid-way is unreadable, without throwing", async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => (controller.enqueue(new Uint8Array(10)), controller.error(new Error("client went away"))) });
    expect(await readBodyCapped(streamedPost({ body: stream }), { maxBytes: CAP })).toEqual({ ok: false, problem: "unreadable" });
  });
});
