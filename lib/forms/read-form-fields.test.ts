import { describe, expect, it } from "vitest";

import { readForm } from "@/lib/forms/read-form";
import { readFormFields } from "@/lib/forms/read-form-fields";
import { endlessBody, streamedPost, within } from "@/test/endless-body";

const CAP = 4 * 1024;
const URL_ENCODED = { "content-type": "application/x-www-form-urlencoded" };

describe("readFormFields", () => {
  it("refuses a chunked form post that never ends as soon as it passes the cap, and cancels the rest", async () => {
    const { stream, counts } = endlessBody({ chunkBytes: 1024 });
    expect(await within(readFormFields(streamedPost({ body: stream, headers: URL_ENCODED }), { maxBytes: CAP }))).toEqual({ ok: false, problem: "too_large" });
    expect(counts.pulled).toBeLessThanOrEqual(CAP + 2 * 1024);
    expect(counts.cancelled).toBe(true);
  });

  it("refuses a form post longer than its Content-Length says", async () => {
    const { stream, counts } = endlessBody({ chunkBytes: 1024 });
    const request = streamedPost({ body: stream, headers: { ...URL_ENCODED, "content-length": "20" } });
    expect(await within(readFormFields(request, { maxBytes: CAP }))).toEqual({ ok: false, problem: "too_large" });
    expect(counts.cancelled).toBe(true);
  });

  it("reads a url-encoded post of exactly the cap, percent-encoding and all", async () => {
    const prefix = "token=abc&reason=Gr%C3%BC%C3%9Fe+";
    const body = `${prefix}${"x".repeat(CAP - prefix.length)}`;
    const read = await readFormFields(streamedPost({ body, headers: URL_ENCODED }), { maxBytes: CAP });
    expect(read).toEqual({ ok: true, fields: { token: "abc", reason: `Grüße ${"x".repeat(CAP - prefix.length)}` } });
    expect(await readFormFields(streamedPost({ body: `${body}x`, headers: URL_ENCODED }), { maxBytes: CAP })).toEqual({ ok: false, problem: "too_large" });
  });

  it("reads a url-encoded post's fields straight from its text, as its FormData would give them (the last of a repeated name)", async () => {
    const body = "a=1&a=2&b=+x%20y&c=&d=%E2%82%AC";
    const fields = await readFormFields(streamedPost({ body, headers: URL_ENCODED }), { maxBytes: CAP });
    const form = await readForm(streamedPost({ body, headers: URL_ENCODED }), { maxBytes: CAP });
    expect(fields).toEqual({ ok: true, fields: { a: "2", b: " x y", c: "", d: "€" } });
    expect(form.ok && Object.fromEntries(form.form.entries())).toEqual(fields.ok && fields.fields);
  });

  it("reads a multipart post's text fields and leaves out its files", async () => {
    const form = new FormData();
    form.append("token", "abc");
    form.append("reason", "Ναι");
    form.append("file", new Blob(["a,b\n"]), "list.csv");
    const encoded = new Request("http://localhost/test", { method: "POST", body: form });
    const request = streamedPost({ body: new Uint8Array(await encoded.arrayBuffer()), headers: { "content-type": encoded.headers.get("content-type")! } });
    expect(await readFormFields(request, { maxBytes: CAP })).toEqual({ ok: true, fields: { token: "abc", reason: "Ναι" } });
  });

  it("says a body of another type, or a broken multipart body, is not a form", async () => {
    expect(await readFormFields(streamedPost({ body: "token=abc", headers: { "content-type": "text/plain" } }), { maxBytes: CAP })).toEqual({ ok: false, problem: "not_a_form" });
    expect(await readFormFields(streamedPost({ body: "{", headers: { "content-type": "multipart/form-data; boundary=x" } }), { maxBytes: CAP })).toEqual({ ok: false, problem: "not_a_form" });
  });
});
