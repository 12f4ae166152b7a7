import { describe, expect, it } from "vitest";

import { MAX_BODY_BYTES, readJsonBody } from "@/lib/api/responses";
import { endlessBody, streamedPost, within } from "@/test/endless-body";

const JSON_TYPE = { "content-type": "application/json" };

describe("readJsonBody", () => {
  it("answers 413 to a chunked body that never ends once it passes 5 MB, and cancels the rest", async () => {
    const { stream, counts } = endlessBody({ chunkBytes: 64 * 1024 });
    const read = await within(readJsonBody(streamedPost({ body: stream, headers: JSON_TYPE })));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.response.status).toBe(413);
    expect(await read.response.json()).toMatchObject({ error: { code: "body_too_large", message: expect.stringContaining("5 MB") } });
    expect(counts.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 64 * 1024);
    expect(counts.cancelled).toBe(true);
  });

  it("answers 413 to a body longer than its Content-Length says", async () => {
    const { stream, counts } = endlessBody({ chunkBytes: 64 * 1024 });
    const read = await within(readJsonBody(streamedPost({ body: stream, headers: { ...JSON_TYPE, "content-length": "2" } })));
    expect(!read.ok && read.response.status).toBe(413);
    expect(counts.cancelled).toBe(true);
  });

  it("parses a JSON body of exactly 5 MB", async () => {
    const padding = "x".repeat(MAX_BODY_BYTES - '{"p":""}'.length);
    const read = await readJsonBody(streamedPost({ body: `{"p":"${padding}"}`, headers: JSON_TYPE }));
    expect(read.ok && (read.body as { p: string }).p.length).toBe(padding.length);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const read = await readJsonBody(streamedPost({ body: "{", headers: JSON_TYPE }));
    expect(!read.ok && read.response.status).toBe(400);
  });
});
