// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/sync.ts [--seconds S] [--clients C] [--batch N] [--skip-build]`
// Measures the platform API's member sync on one web instance (a production build, `next start`):
// PUT /api/v1/members with batches of --batch members (default 1,000) from --clients clients at
// once (default 4) for --seconds (default 20): first new members (each batch creates), then the
// same members again with a changed address (each batch updates). Prints members/s, the p50 and
// p99 of a batch, and checks that every member sent is stored. It creates a database of its own and
// drops it at the end. Not part of `npm test`.
import { parseArgs } from "node:util";

import pg from "pg";

import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp } from "@/scripts/lib/stack";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { reportBenchFailure } from "./lib/in-process";
import { figurePrinter, fmt, percentile } from "./lib/report";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "20" }, clients: { type: "string", default: "4" }, batch: { type: "string", default: "1000" }, "skip-build": { type: "boolean", default: false } },
  strict: true,
});
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const BATCH = Number(values.batch);
for (const [name, value] of [["--seconds", SECONDS], ["--clients", CLIENTS], ["--batch", BATCH]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of 1 or more`);
}

const figure = figurePrinter(56);
const COUNTRIES = ["AT", "BE", "DE", "FR", "IE", "IT", "NL", "PL", "ES", "SE"];

const member = (n: number, version: number) => ({
  externalId: `sync-${n}`,
  email: `sync.${n}.v${version}@example.eu`,
  country: COUNTRIES[n % COUNTRIES.length]!,
  birthDate: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
  locale: n % 3 === 0 ? "de" : "en",
});

/**
 * CLIENTS clients, each sending its next batch as soon as the last is answered, for SECONDS (or,
 * for updates, until the members created are all sent again). Batch k holds members k·BATCH …
 */
const syncPhase = async ({ url, version, batches }: { url: string; version: number; batches?: number }) => {
  const deadline = performance.now() + SECONDS * 1000;
  const latencies: number[] = [];
  let next = 0;
  let synced = 0;
  const client = async () => {
    for (;;) {
      if (batches === undefined ? performance.now() >= deadline : next >= batches) return;
      const batch = next++;
      const members = Array.from({ length: BATCH }, (_, index) => member(batch * BATCH + index, version));
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/members`, {
        method: "PUT",
        headers: { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ members }),
      });
      if (response.status !== 200) throw new Error(`A batch was answered ${response.status}: ${await response.text()}`);
      latencies.push(performance.now() - started);
      synced += BATCH;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = (performance.now() - started) / 1000;
  return { batches: next, rate: synced / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
};

const main = async () => {
  const database = await createTestDatabase("objection_bench_sync");
  const port = await freePort();
  const env = { ...TEST_ENV, DATABASE_URL: database.url, APP_URL: `http://127.0.0.1:${port}`, PLATFORM_API_RATE_PER_MINUTE: "1000000" };
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    if (!values["skip-build"]) await buildApp(env);
    app = await startApp({ env, port, logs: false });
    const url = `http://127.0.0.1:${port}`;
    const created = await syncPhase({ url, version: 1 });
    figure(`new members, batches of ${fmt(BATCH)} (members/s)`, fmt(created.rate));
    figure("a batch of new members: p50 / p99 (ms)", `${fmt(created.p50)} / ${fmt(created.p99)}`);
    const updated = await syncPhase({ url, version: 2, batches: created.batches });
    figure(`the same members, a new address (members/s)`, fmt(updated.rate));
    figure("a batch of changed members: p50 / p99 (ms)", `${fmt(updated.p50)} / ${fmt(updated.p99)}`);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Member" WHERE "externalId" LIKE 'sync-%' AND email LIKE '%.v2@example.eu'`);
    const expected = created.batches * BATCH;
    figure("members stored with their new address", `${fmt(rows[0]!.n)} of ${fmt(expected)}`);
    if (rows[0]!.n !== expected) process.exitCode = 1;
  } finally {
    await app?.stop();
    await pool.end();
    await dropTestDatabase(database.name);
  }
};

main().catch(reportBenchFailure);
