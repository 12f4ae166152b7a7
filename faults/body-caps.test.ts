import { existsSync, readFileSync } from "node:fs";
import http from "node:http";

import { describe, expect, it } from "vitest";

import type { TStopper } from "@/scripts/lib/stack";
import { TEST_ENV } from "@/test/test-env";

import { setupOwnApp } from "./own-app";

// A chunked upload of 64 MB (no Content-Length) to every public route that takes a post, against
// the production build: each is refused (413) or its connection closed, and the web process's
// resident memory (VmRSS, sampled every 10 ms) grows by less than the upload. Before the fix, a
// form post was read whole by request.formData(), whatever its size: 147 MB grew to 412 MB.

const UPLOAD_BYTES = 64 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "a");
const PIPELINE_TOKEN = "pipeline-token-for-body-caps-0123456789abcdef";
const PLATFORM = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}`, "content-type": "application/json" };
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const SOME_UUID = "00000000-0000-4000-8000-000000000000";

/** The admin sign-in's server action id in this build (each build names its actions anew); an unknown id would get a 404. */
const signInActionId = () => {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { workers: Record<string, unknown> }> };
  return Object.entries(manifest.node).find(([, action]) => "app/admin/sign-in/page" in action.workers)?.[0] ?? "no-sign-in-action-in-this-build";
};

/**
 * `refuses`: the route reads a body, so the upload gets a 413 or a closed connection; otherwise it
 * is answered (below 500) without its body being read. `early`: outside proxy.ts's matcher, so the
 * answer comes before the upload ends (Next.js reads a proxied body to its end first, keeping at most
 * proxyClientMaxBodySize).
 */
type TRoute = { method: string; path: string; headers: Record<string, string>; refuses: boolean; early: boolean };

// Read once the build is there (beforeAll may make it).
const ROUTES = (SIGN_IN_ACTION = signInActionId()): TRoute[] => [
  { method: "POST", path: "/o/submit", headers: FORM, refuses: true, early: true },
  { method: "POST", path: "/object/request", headers: FORM, refuses: true, early: true },
  { method: "POST", path: "/s/withdraw", headers: FORM, refuses: true, early: true },
  { method: "POST", path: "/language", headers: FORM, refuses: true, early: true },
  { method: "POST", path: `/u/${"A".repeat(72)}`, headers: FORM, refuses: true, early: true },
  { method: "POST", path: "/api/auth/signin/nodemailer", headers: FORM, refuses: true, early: true },
  { method: "PUT", path: "/api/v1/members", headers: PLATFORM, refuses: true, early: true },
  { method: "POST", path: "/api/v1/campaigns", headers: PLATFORM, refuses: true, early: true },
  { method: "POST", path: "/api/v1/objections", headers: PLATFORM, refuses: true, early: true },
  { method: "POST", path: `/api/v1/campaigns/${SOME_UUID}/launch`, headers: PLATFORM, refuses: false, early: true },
  { method: "POST", path: `/api/v1/objections/no-such-member/withdraw`, headers: PLATFORM, refuses: false, early: true },
  { method: "POST", path: `/api/v1/notifications/${SOME_UUID}/seen`, headers: PLATFORM, refuses: false, early: true },
  { method: "POST", path: `/api/v1/exports/${SOME_UUID}/ack`, headers: { authorization: `Bearer ${PIPELINE_TOKEN}` }, refuses: false, early: true },
  // A page: proxied, so its body is read to the end, and kept up to proxyClientMaxBodySize.
  { method: "POST", path: "/object", headers: FORM, refuses: false, early: false },
  // A server action (the admin sign-in's): Next.js answers its own body limit with a 500; the proxy refuses it first.
  { method: "POST", path: "/admin/sign-in", headers: { "content-type": "multipart/form-data; boundary=x", "next-action": SIGN_IN_ACTION }, refuses: true, early: false },
];


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
    const request = http.request({ host: "127.0.0.1", port: ownApp().port, method, path, headers, agent: false });
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

const ownApp = setupOwnApp({ databasePrefix: "objection_body_caps", env: { EXPORT_API_TOKEN: PIPELINE_TOKEN } });

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe("a chunked 64 MB upload", () => {
  it("to each public route that takes a post is refused (413) or its connection closed (a route that takes no body answers without it), and the web process's memory grows by less than 64 MB for each", async () => {
    const app = ownApp().app as TStopper & { child: { pid?: number; exitCode: number | null } };
    const pid = app.child.pid!;
    // `npm start` (scripts/start-web.mjs) serves in the process it was started as, which names itself.
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain("objection-web");
    // Each upload's growth is measured from its own start: what earlier uploads left for the
    // collector is not the next one's. The run's total is printed, not asserted (V8 returns memory lazily).
    const before = residentBytes(pid);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 10);
    const lines: string[] = [];
    const wrong: string[] = [];
    try {
      for (const route of ROUTES()) {
        const routeBefore = residentBytes(pid);
        peak = routeBefore;
        const { answer, text, sentWhenAnswered } = await chunkedUpload(route);
        const line = `${route.method} ${route.path}: ${answer} after ${megabytes(sentWhenAnswered)} sent, RSS +${megabytes(peak - routeBefore)} at most; ${text.slice(0, 90).replaceAll("\n", " ")}`;
        lines.push(line);
        const answered = route.refuses ? answer === 413 || answer === "closed" : answer === "closed" || answer < 500;
        // The client's socket buffers hold a few MB: "early" is well before the end.
        const inTime = !route.early || sentWhenAnswered < UPLOAD_BYTES / 4;
        if (!answered || !inTime || !(peak - routeBefore < UPLOAD_BYTES)) wrong.push(line);
      }
    } finally {
      clearInterval(sampler);
    }
    const after = residentBytes(pid);
    console.log(`[body-caps] RSS ${megabytes(before)} before, ${megabytes(after)} after ${ROUTES().length} uploads of ${megabytes(UPLOAD_BYTES)}\n${lines.join("\n")}`);
    expect(wrong).toEqual([]);
    expect(app.child.exitCode, "the web process ended").toBeNull();
  });
});
