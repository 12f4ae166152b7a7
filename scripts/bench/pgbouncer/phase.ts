// One phase of scripts/bench/pgbouncer.ts, in a process of its own so each phase gets a fresh pool
// and environment: BENCH_CONCURRENCY callers run submitObjection back to back, each on a notification
// of BENCH_IDS_FILE never used before, for BENCH_WARMUP_SECONDS then BENCH_SECONDS. Prints one JSON
// line: the measured window's latencies (ms), and what went wrong.
//
// BENCH_MODE=named runs the code as it was before transaction pooling, for comparison: the same
// statement, named (prepared once per connection), on a pool that sets plan_cache_mode at start.
import { readFileSync } from "node:fs";

import pg from "pg";

import { LINK_HOLDER } from "@/lib/auth/actor";
import { jobs, stopJobs } from "@/lib/jobs";
import { submitObjection } from "@/lib/objections/submit-objection";
import { closePgPool } from "@/lib/pg";

const ids = JSON.parse(readFileSync(process.env.BENCH_IDS_FILE!, "utf8")) as string[];
const concurrency = Number(process.env.BENCH_CONCURRENCY);
const seconds = Number(process.env.BENCH_SECONDS);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS);

/** lib/pg.ts's pool as main had it before this bench: startup options, and the submit statement named. */
const installNamedPool = () => {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE),
    application_name: "objection",
    options: "-c plan_cache_mode=force_custom_plan -c temp_buffers=64MB",
  });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const names = new Map<string, string>();
  // The submit statement is the one INSERT INTO "Objection" of the path; it had a name per subject kind.
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (text: unknown, values?: unknown) => {
    if (typeof text === "string" && text.includes(`INSERT INTO "Objection"`)) {
      if (!names.has(text)) names.set(text, `submit-objection-${names.size}`);
      return query({ name: names.get(text), text, values });
    }
    return query(text, values);
  };
  (globalThis as unknown as { pgPool?: pg.Pool }).pgPool = pool;
};

const main = async () => {
  if (process.env.BENCH_MODE === "named") installNamedPool();
  // pg-boss starts (and creates its queues) before the clock does, as it has in a warm web instance.
  await jobs();
  let next = 0;
  const samples: number[] = [];
  let failed = 0;
  let notCreated = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const measureFrom = start + warmupSeconds * 1000;
  const end = measureFrom + seconds * 1000;
  const caller = async () => {
    while (performance.now() < end) {
      const id = ids[next++];
      if (!id) throw new Error(`BENCH_MEMBERS is too small: ${ids.length} notifications were used up`);
      const began = performance.now();
      try {
        const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id }, country: "IE" });
        if (result.status !== "created") notCreated++;
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
        continue;
      }
      const ended = performance.now();
      if (began >= measureFrom && ended <= end) samples.push(ended - began);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  await stopJobs();
  await closePgPool();
  console.log(JSON.stringify({ used: next, samples, failed, notCreated, firstError, seconds }));
};

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
