import { existsSync, readFileSync } from "node:fs";
import http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp, stopAll, type TStopper } from "@/scripts/lib/stack";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// A chunked upload of 64 MB (no Content-Length) to every public route that takes a post, against
// the production build: each is refused (413) or its connection closed, and the web process's
// resident memory grows by less than the upload. Before the fix, a form post was read whole by
// request.formData(), whatever its size.

const UPLOAD_BYTES = 64 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "a");
const PIPELINE_TOKEN = "pipeline-token-for-body-caps-0123456789abcdef";
const PLATFORM = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}`, "content-type": "application/json" };
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const SOME_UUID = "00000000-0000-4000-8000-000000000000";

type TRoute = { method: string; path: string; headers: Record<string, string>; readsBody: boolean };

const ROUTES: TRoute[] = [
  { method: "POST", path: "/o/submit", headers: FORM, readsBody: true },
  { method: "POST", path: "/object/request", headers: FORM, readsBody: true },
  { method: "POST", path: "/s/withdraw", headers: FORM, readsBody: true },
  { method: "POST", path: "/language", headers: FORM, readsBody: true },
  { method: "POST", path: `/u/${"A".repeat(72)}`, headers: FORM, readsBody: true },
  { method: "PUT", path: "/api/v1/members", headers: PLATFORM, readsBody: true },
  { method: "POST", path: "/api/v1/campaigns", headers: PLATFORM, readsBody: true },
  { method: "POST", path: "/api/v1/objections", headers: PLATFORM, readsBody: true },
  // These take no body: they answer without reading it (or are refused at the door).
  { method: "POST", path: `/api/v1/campaigns/${SOME_UUID}/launch`, headers: PLATFORM, readsBody: false },
  { method: "POST", path: `/api/v1/objections/no-such-member/withdraw`, headers: PLATFORM, readsBody: false },
  { method: "POST", path: `/api/v1/notifications/${SOME_UUID}/seen`, headers: PLATFORM, readsBody: false },
  { method: "POST", path: `/api/v1/exports/${SOME_UUID}/ack`, headers: { authorization: `Bearer ${PIPELINE_TOKEN}` }, readsBody: false },
];

let parts: TStopper[] = [];
let sink: TSmtpSink;
let database: { name: string; url: string };
let port: number;

/** The process's resident memory (VmRSS), or NaN once it has ended. */
const residentBytes = (pid: number) => {
  const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, "utf8") : "";
  const line = status.match(/^VmRSS:\s+(\d+) kB$/m);
  return line ? Number(line[1]) * 1024 : Number.NaN;
};

type TUpload = { answer: number | "closed"; text: string; sentWhenAnswered: number };

/**
 * Writes UPLOAD_BYTES as a chunked body (Node sends Transfer-Encoding: chunked when no length is
 * given), as fast as the server takes it, and stops at the first answer or when the connection closes.
 */
const chunkedUpload = ({ method, path, headers }: TRoute) =>
  new Promise<TUpload>((resolve) => {
    const request = http.request({ host: "127.0.0.1", port, method, path, headers, agent: false });
    let sent = 0;
    let done = false;
    const finish = (result: TUpload) => {
      if (done) return;
      done = true;
      request.destroy();
      resolve(result);
    };
    request.on("response", (response) => {
      const sentWhenAnswered = sent;
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => finish({ answer: response.statusCode ?? 0, text, sentWhenAnswered }));
      response.on("error", () => finish({ answer: response.statusCode ?? 0, text, sentWhenAnswered }));
    });
    request.on("error", () => finish({ answer: "closed", text: "", sentWhenAnswered: sent }));
    const pump = () => {
      while (!done && sent < UPLOAD_BYTES) {
        sent += CHUNK.length;
        if (!request.write(CHUNK)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!done) request.end();
    };
    pump();
  });

beforeAll(async () => {
  database = await createTestDatabase("objection_body_caps");
  sink = await startSmtpSink();
  port = await freePort();
  const env = { ...TEST_ENV, DATABASE_URL: database.url, APP_URL: `http://127.0.0.1:${port}`, SMTP_URL: sink.url, EXPORT_API_TOKEN: PIPELINE_TOKEN };
  // Builds the app when no build is there (about 90 s here); after `npm test`, it starts in about 3 s.
  if (!existsSync(".next/BUILD_ID")) await buildApp(env);
  parts = [await startApp({ env, port, logs: process.env.FAULT_LOGS === "1" })];
}, 300_000);

afterAll(async () => {
  await stopAll(parts);
  await sink?.stop();
  if (database) await dropTestDatabase(database.name);
});

describe("a chunked 64 MB upload", () => {
  it("to each public route that takes a post is refused (413) or its connection closed, and the web process's memory grows by less than 64 MB", async () => {
    const app = parts[0] as TStopper & { child: { pid?: number; exitCode: number | null } };
    const pid = app.child.pid!;
    // `next start` serves in the process it was started as.
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain("next");
    const before = residentBytes(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 10);
    const results: string[] = [];
    const wrong: string[] = [];
    try {
      for (const route of ROUTES) {
        const { answer, text, sentWhenAnswered } = await chunkedUpload(route);
        const line = `${route.method} ${route.path}: ${answer} after ${(sentWhenAnswered / 1024 / 1024).toFixed(1)} MB sent ${text.slice(0, 100).replaceAll("\n", " ")}`;
        results.push(line);
        const refused = answer === 413 || answer === "closed";
        if (route.readsBody ? !refused : answer !== "closed" && (answer >= 500 || answer < 400)) wrong.push(line);
      }
    } finally {
      clearInterval(sampler);
    }
    const after = residentBytes(pid);
    console.log(`[body-caps] RSS ${(before / 1024 / 1024).toFixed(0)} MB before, peak ${(peak / 1024 / 1024).toFixed(0)} MB, ${(after / 1024 / 1024).toFixed(0)} MB after\n${results.join("\n")}`);
    expect(wrong).toEqual([]);
    expect(app.child.exitCode, "the web process ended").toBeNull();
    expect(peak - before).toBeLessThan(UPLOAD_BYTES);
    expect(after - before).toBeLessThan(UPLOAD_BYTES);
  });
});
