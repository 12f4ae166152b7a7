import { existsSync } from "node:fs";

import fc from "fast-check";
import pg from "pg";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildApp, startApp, stopAll, type TStopper } from "@/scripts/lib/stack";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// 10,000 generated requests at every route of the running app (production build, real
// PostgreSQL, real SMTP): none may answer 5xx, and a refused one (4xx) may store nothing. One test
// per family of routes, so a finding names its family and no test holds the whole run.

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const PORT = Number(process.env.FUZZ_APP_PORT ?? 3610);
const PLATFORM = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}` };
const PIPELINE_TOKEN = "pipeline-token-for-fuzzing-0123456789abcdef";

type TFuzzRequest = { method: string; path: string; headers: Record<string, string>; body?: string };

let parts: TStopper[] = [];
let sink: TSmtpSink;
let database: { name: string; url: string };
let db: pg.Pool;
const base = `http://127.0.0.1:${PORT}`;

// Text that breaks things: control characters, NUL, lone surrogates, RTL marks, huge runs, SQL and HTML.
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("\u0000", "a\u0000b", "\r\n", "%", "%41", "%ZZ", "..", "../../etc/passwd", "' OR 1=1 --", "<script>alert(1)</script>", "\uD800", "\u202E", "ｅ", "null", "[]", "{}"),
  fc.string({ minLength: 1, maxLength: 4 }).map((text) => text.repeat(3000)),
);
const email = fc.oneof(fc.emailAddress(), nasty, fc.constantFrom("a@müller.de", "Zoë@Example.EU", "@", "a@", "a@b", `x${"y".repeat(300)}@example.eu`));
const country = fc.oneof(fc.constantFrom("DE", "FR", "XX", "ZZ", "de", "", "DEU", "\u0000\u0000", "GR", "EL"), nasty);
const token = fc.oneof(fc.base64String({ minLength: 0, maxLength: 100 }).map((text) => text.replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "")), nasty, fc.constant("A".repeat(72)));
const uuidish = fc.oneof(fc.uuid(), nasty);
const json = (value: fc.Arbitrary<unknown>) => value.map((body) => JSON.stringify(body));
const rawBody = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom("{", "[1,2", "\u0000", "null", "1e309", '{"__proto__":{"x":1}}'));
const form = (fields: Record<string, fc.Arbitrary<string>>) =>
  fc.record(fields, { requiredKeys: [] }).map((values) => new URLSearchParams(Object.entries(values) as [string, string][]).toString());
const segment = (value: fc.Arbitrary<string>) => value.map((text) => encodeURIComponent(text.toWellFormed()).slice(0, 600));
// Mostly the right token, so requests get past the door to the validation behind it.
const withAuth = fc.oneof({ weight: 4, arbitrary: fc.constant<Record<string, string>>(PLATFORM) }, fc.constantFrom<Record<string, string>>({}, { authorization: "Bearer wrong-token" }, { authorization: "Basic x" }));

const member = fc.record(
  { externalId: nasty, email, country, birthDate: fc.oneof(fc.constantFrom("1990-01-01", "2020-01-01", "1990-02-30", "", "yesterday"), nasty), locale: fc.option(nasty) },
  { requiredKeys: [] },
);

// One generated request: a route, then values for each of its inputs. Routes come in three
// families, each fuzzed by its own test, with a share of the requests in proportion to its routes.
const publicRoutes: fc.Arbitrary<TFuzzRequest>[] = [
  // Public pages and the forms' posts, as browsers (and scripts) send them.
  segment(token).map((value) => ({ method: "GET", path: `/o/${value}`, headers: {} })),
  segment(token).map((value) => ({ method: "GET", path: `/s/${value}`, headers: {} })),
  fc.constantFrom("/", "/object", "/object/sent", "/o/invalid", "/s/invalid", "/no-such-page").map((path) => ({ method: "GET", path, headers: {} })),
  fc.tuple(form({ token, country, reason: nasty }), fc.boolean()).map(([body, json]) => ({
    method: "POST",
    path: "/o/submit",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(json ? { accept: "application/json" } : {}) },
    body,
  })),
  form({ email }).map((body) => ({ method: "POST", path: "/object/request", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `10.66.${Math.floor(Math.random() * 255)}.1` }, body })),
  form({ token, confirm: nasty }).map((body) => ({ method: "POST", path: "/s/withdraw", headers: { "content-type": "application/x-www-form-urlencoded" }, body })),
  form({ locale: nasty, returnTo: nasty }).map((body) => ({ method: "POST", path: "/language", headers: { "content-type": "application/x-www-form-urlencoded" }, body })),
  rawBody.map((body) => ({ method: "POST", path: "/o/submit", headers: { "content-type": "multipart/form-data; boundary=x" }, body })),
];

const platformRoutes: fc.Arbitrary<TFuzzRequest>[] = [
  fc.tuple(withAuth, fc.oneof(json(fc.record({ members: fc.array(member, { maxLength: 5 }) })), json(fc.anything()), rawBody)).map(([headers, body]) => ({
    method: "PUT",
    path: "/api/v1/members",
    headers: { ...headers, "content-type": "application/json" },
    body,
  })),
  fc.tuple(withAuth, fc.oneof(json(fc.record({ name: nasty, channels: fc.array(fc.constantFrom("email", "in_app", "sms", ""), { maxLength: 3 }), countries: fc.array(country, { maxLength: 3 }) }, { requiredKeys: [] })), rawBody)).map(
    ([headers, body]) => ({ method: "POST", path: "/api/v1/campaigns", headers: { ...headers, "content-type": "application/json" }, body }),
  ),
  fc.tuple(withAuth, segment(uuidish), fc.constantFrom("", "/launch", "/pause", "/resume")).map(([headers, id, action]) => ({ method: action ? "POST" : "GET", path: `/api/v1/campaigns/${id}${action}`, headers })),
  fc.tuple(withAuth, segment(nasty), fc.constantFrom("notifications", "objection")).map(([headers, id, what]) => ({ method: "GET", path: `/api/v1/members/${id}/${what}`, headers })),
  fc.tuple(withAuth, segment(uuidish)).map(([headers, id]) => ({ method: "POST", path: `/api/v1/notifications/${id}/seen`, headers })),
  fc.tuple(withAuth, fc.oneof(json(fc.record({ externalId: nasty, source: fc.oneof(fc.constantFrom("in_app_setting", "gpc", "email"), nasty) }, { requiredKeys: [] })), rawBody)).map(([headers, body]) => ({
    method: "POST",
    path: "/api/v1/objections",
    headers: { ...headers, "content-type": "application/json" },
    body,
  })),
  fc.tuple(withAuth, segment(nasty)).map(([headers, id]) => ({ method: "POST", path: `/api/v1/objections/${id}/withdraw`, headers })),
];

const pipelineAndConsoleRoutes: fc.Arbitrary<TFuzzRequest>[] = [
  // The pipeline API.
  fc.tuple(fc.constantFrom<Record<string, string>>({ authorization: `Bearer ${PIPELINE_TOKEN}` }, {}), segment(uuidish), segment(nasty), fc.constantFrom("latest", "public-key", "files", "ack")).map(([headers, id, name, what]) => ({
    method: what === "ack" ? "POST" : "GET",
    path: what === "files" ? `/api/v1/exports/${id}/files/${name}` : what === "ack" ? `/api/v1/exports/${id}/ack` : `/api/v1/exports/${what}`,
    headers,
  })),
  // The console's routes, without a session, and the API's odd corners.
  fc.tuple(segment(uuidish), fc.constantFrom("GET", "POST")).map(([id, method]) => ({ method, path: `/admin/campaigns/${id}/progress`, headers: {} })),
  fc.constantFrom("/admin", "/admin/objections/download", "/admin/objections/search", "/admin/exports/runs", "/api/health", "/api/metrics", "/api/v1/openapi.json").map((path) => ({ method: "GET", path, headers: {} })),
];

const FAMILIES = [
  { name: "the public pages and forms", routes: publicRoutes },
  { name: "the platform API", routes: platformRoutes },
  { name: "the pipeline API and the console's routes", routes: pipelineAndConsoleRoutes },
];
const ROUTES = FAMILIES.reduce((sum, family) => sum + family.routes.length, 0);
/** Each family's share of the requests, in proportion to its routes; the shares add up to REQUESTS. */
const fuzzFamilies = FAMILIES.map((family, index) => {
  const before = FAMILIES.slice(0, index).reduce((sum, { routes }) => sum + routes.length, 0);
  const requests = Math.round((REQUESTS * (before + family.routes.length)) / ROUTES) - Math.round((REQUESTS * before) / ROUTES);
  return { name: family.name, requests, generator: fc.oneof(...family.routes) };
});

const COUNTED_TABLES = ["Member", "Objection", "ObjectionEvent", "Campaign", "Notification", "AddressLink", "ExportRun", "AuditEvent"];

const storedCounts = async () => {
  const { rows } = await db.query<Record<string, string>>(`SELECT ${COUNTED_TABLES.map((table) => `(SELECT count(*) FROM "${table}") AS "${table}"`).join(", ")}, (SELECT count(*) FROM pgboss.job) AS jobs`);
  return rows[0];
};

beforeAll(async () => {
  database = await createTestDatabase("objection_fuzz");
  db = new pg.Pool({ connectionString: database.url, max: 2 });
  sink = await startSmtpSink();
  const env = {
    ...TEST_ENV,
    DATABASE_URL: database.url,
    APP_URL: base,
    SMTP_URL: sink.url,
    EXPORT_API_TOKEN: PIPELINE_TOKEN,
    // The limits hold in their own tests: here they would only turn requests into 429s.
    PLATFORM_API_RATE_PER_MINUTE: "1000000",
    LINK_REQUESTS_PER_IP_PER_HOUR: "1000000",
    LINK_REQUESTS_PER_HOUR: "1000000",
  };
  if (!existsSync(".next/BUILD_ID")) await buildApp(env);
  // pg-boss's tables, made as a worker would make them; no worker runs, so nothing changes the
  // counts between a request and its check.
  const boss = new PgBoss({ connectionString: database.url, max: 1, supervise: false, schedule: false });
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  parts = [await startApp({ env, port: PORT, logs: false })];
  // Some real data, so valid-looking requests find something.
  await db.query(`INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT 'fuzz-' || i, 'fuzz-' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, 20) i`);
  // Builds the app when no build is there (about 90 s here); after `npm test`, it starts in about 3 s.
}, 300_000);

afterAll(async () => {
  await stopAll(parts);
  await sink?.stop();
  await db?.end();
  if (database) await dropTestDatabase(database.name);
});

/** Sends one request; null when the app gave no answer at all. */
const send = (request: TFuzzRequest) =>
  fetch(`${base}${request.path}`, { method: request.method, headers: request.headers, body: request.body, redirect: "manual" }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
    (error: unknown) => `no answer (${String(error)})`,
  );

const isRefused = (status: number | string) => typeof status === "number" && status >= 400 && status < 500;
const describeRequest = (request: TFuzzRequest) => `${request.method} ${request.path.slice(0, 120)} ${request.body?.slice(0, 120) ?? ""}`;

// Rows are counted around each batch of 100 requests, not each request: a batch that stored
// nothing clears all its refused requests at once. When a batch stored rows (accepted requests
// do), its refused requests are sent again one at a time, counted around each, so one that stores
// is named. Within a batch, requests go out several at a time, as a real client's would.
const BATCH = 100;
const IN_FLIGHT = 6;

/** Sends a batch with IN_FLIGHT requests open at once; the answers in the batch's order. */
const sendAll = async (batch: TFuzzRequest[]) => {
  const answers: (number | string)[] = [];
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < batch.length; index = next++) answers[index] = await send(batch[index]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return answers;
};

type TFuzzFindings = { serverErrors: string[]; storedWhenRefused: string[]; statuses: Map<number, number>; replayed: number; batches: number };

/** Sends the requests in batches and collects every 5xx (or no answer) and every refused request that stored rows. */
const fuzz = async (requests: TFuzzRequest[]): Promise<TFuzzFindings> => {
  const findings: TFuzzFindings = { serverErrors: [], storedWhenRefused: [], statuses: new Map(), replayed: 0, batches: Math.ceil(requests.length / BATCH) };
  for (let start = 0; start < requests.length; start += BATCH) {
    const batch = requests.slice(start, start + BATCH);
    const before = JSON.stringify(await storedCounts());
    const answers = await sendAll(batch);
    for (const [index, status] of answers.entries()) {
      if (typeof status === "string") findings.serverErrors.push(`${describeRequest(batch[index]!)}: ${status}`);
      else {
        findings.statuses.set(status, (findings.statuses.get(status) ?? 0) + 1);
        if (status >= 500) findings.serverErrors.push(`${status} ${describeRequest(batch[index]!)}`);
      }
    }
    if (JSON.stringify(await storedCounts()) === before) continue;
    findings.replayed++;
    for (const [index, request] of batch.entries()) {
      if (!isRefused(answers[index]!)) continue;
      const beforeOne = JSON.stringify(await storedCounts());
      const status = await send(request);
      if (isRefused(status) && JSON.stringify(await storedCounts()) !== beforeOne) findings.storedWhenRefused.push(`${status} ${describeRequest(request)}`);
    }
  }
  return findings;
};

describe("HTTP fuzzing", () => {
  for (const family of fuzzFamilies) {
    it(`answers ${family.requests} generated requests at ${family.name} with no 5xx, and stores nothing for a refused one`, async () => {
      const findings = await fuzz(fc.sample(family.generator, { numRuns: family.requests, seed: SEED }));
      const answers = [...findings.statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
      console.log(
        `[fuzz] ${family.name}: ${family.requests} requests (seed ${SEED}); answers: ${answers.join(", ")}; ${findings.replayed} of ${findings.batches} batches stored rows and had their refused requests replayed one at a time`,
      );
      expect(findings.serverErrors.slice(0, 20)).toEqual([]);
      expect(findings.storedWhenRefused.slice(0, 20)).toEqual([]);
    });
  }
});

// A probe of the generator, so a change that makes it produce only one route is noticed.
describe("the generator", () => {
  it("reaches every kind of route, and the families' shares add up to every request", () => {
    const paths = new Set(fuzzFamilies.flatMap(({ generator }) => fc.sample(generator, { numRuns: 700, seed: SEED }).map((request) => request.path.split("/").slice(0, 3).join("/"))));
    for (const prefix of ["/o", "/s", "/object/request", "/api/v1", "/admin/campaigns", "/language"]) expect([...paths].some((path) => path.startsWith(prefix))).toBe(true);
    expect(fuzzFamilies.reduce((sum, { requests }) => sum + requests, 0)).toBe(REQUESTS);
  });
});
