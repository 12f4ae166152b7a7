import { describe, expect, it } from "vitest";

import { POST as languagePost } from "@/app/language/route";
import { POST as submitPost } from "@/app/o/submit/route";
import { POST as requestLinkPost } from "@/app/object/request/route";
import { POST as withdrawPost } from "@/app/s/withdraw/route";
import { endlessBody, streamedPost, within } from "@/test/endless-body";

const URL_ENCODED = { "content-type": "application/x-www-form-urlencoded" };

// The public forms' route handlers, given a chunked post that never ends: each answers 413 with
// words a person can act on once its cap is passed, and reads no further.
describe("the public forms' routes, given a post that never ends", () => {
  it.each([
    ["/o/submit", submitPost, 64 * 1024, "nothing was stored"],
    ["/object/request", requestLinkPost, 4 * 1024, "nothing was sent"],
    ["/s/withdraw", withdrawPost, 4 * 1024, "nothing was withdrawn"],
    ["/language", languagePost, 4 * 1024, "the language was not changed"],
  ])("%s answers 413 once its cap is passed and cancels the rest", async (_path, post, cap, outcome) => {
    const { stream, counts } = endlessBody({ chunkBytes: 1024 });
    const response = await within(post(streamedPost({ body: stream, headers: URL_ENCODED })));
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.text()).toContain(`larger than ${cap / 1024} KB, the most this form takes: ${outcome}`);
    expect(counts.pulled).toBeLessThanOrEqual(cap + 2 * 1024);
    expect(counts.cancelled).toBe(true);
  });
});
