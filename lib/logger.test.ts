import { Writable } from "node:stream";

import pg from "pg";
import { describe, expect, it } from "vitest";

import { createLogger, redactSecrets, serializeError } from "@/lib/logger";

const TOKEN = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6a7B8c9D0e1F2g3H4i5J6";

describe("log redaction", () => {
  it("replaces addresses, link tokens and bearer tokens, and keeps the rest", () => {
    expect(TOKEN).toHaveLength(72);
    const line = `Receipt to Jane.Doe@Example.EU failed: 550 <jane.doe@example.eu> unknown; link https://x.eu/o/${TOKEN} and /s/abcDEF123_-xyz; Authorization: Bearer platform-secret-123`;
    const redacted = redactSecrets(line);
    expect(redacted).toBe("Receipt to [address] failed: 550 <[address]> unknown; link https://x.eu/o/[token] and /s/[token]; Authorization: Bearer [token]");
  });

  it("leaves ids, codes and plain words alone", () => {
    const line = "Objection 0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c10 stored; campaign batch 3 of 12; SMTP 421";
    expect(redactSecrets(line)).toBe(line);
  });

  it("redacts the token of an admin sign-in link, whose job carries it", () => {
    const token = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    expect(redactSecrets(`job {"url":"http://localhost:3000/api/auth/callback/nodemailer?callbackUrl=%2Fadmin&token=${token}"}`)).toBe(
      'job {"url":"http://localhost:3000/api/auth/callback/nodemailer?callbackUrl=%2Fadmin&token=[token]"}',
    );
  });

  it("redacts an internationalised address", () => {
    expect(redactSecrets("to zoë@müller.de")).toBe("to [address]");
  });
});

/** A logger whose lines the test reads, one parsed object per line. */
const capturedLogger = () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { log: createLogger(destination), lines };
};

describe("error log lines", () => {
  it("give a PostgreSQL error's class, message and SQLSTATE", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const error: unknown = await client.query("SELECT 1 / 0").catch((caught: unknown) => caught);
    await client.end();
    // pg names its errors "error" (the protocol message's type): the line would say only that.
    expect((error as Error).name).toBe("error");
    expect(serializeError(error)).toEqual({ type: "DatabaseError", message: "division by zero", code: "22012" });

    const { log, lines } = capturedLogger();
    log.error({ event: "query_failed", error }, "the query failed");
    expect(lines[0]).toMatchObject({ event: "query_failed", msg: "the query failed", error: { type: "DatabaseError", message: "division by zero", code: "22012" } });
  });

  it("give a Node error's code, and the addresses in a message redacted, its cause's too", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const error = new Error("Receipt to jane.doe@example.eu failed", { cause: refused });
    expect(serializeError(error)).toEqual({
      type: "Error",
      message: "Receipt to [address] failed",
      cause: { type: "Error", message: "connect ECONNREFUSED 127.0.0.1:5432", code: "ECONNREFUSED" },
    });

    const { log, lines } = capturedLogger();
    log.warn({ event: "receipt_failed", error });
    // An error passed alone becomes the line's field, its message the line's, redacted.
    log.error(new TypeError("bad address jane.doe@example.eu"));
    expect(JSON.stringify(lines)).not.toContain("jane.doe");
    expect(lines[0]!.error).toMatchObject({ type: "Error", message: "Receipt to [address] failed", cause: { code: "ECONNREFUSED" } });
    expect(lines[1]).toMatchObject({ msg: "bad address [address]", error: { type: "TypeError", message: "bad address [address]" } });
  });

  it("give a non-Error's type and text", () => {
    expect(serializeError("boom for jane.doe@example.eu")).toEqual({ type: "string", message: "boom for [address]" });
    expect(serializeError(undefined)).toEqual({ type: "undefined", message: "undefined" });
    expect(serializeError({ kind: "postgres", code: "42P01", message: 'relation "x" does not exist' })).toEqual({ type: "postgres", message: 'relation "x" does not exist', code: "42P01" });
    expect(serializeError({ reason: "mail to a@b.eu" })).toEqual({ type: "object", message: '{"reason":"mail to [address]"}' });

    const { log, lines } = capturedLogger();
    log.error({ event: "job_failed", error: "timeout" }, "job failed");
    expect(lines[0]!.error).toEqual({ type: "string", message: "timeout" });
  });
});
