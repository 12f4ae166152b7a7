// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/campaign.ts [--members N] [--seconds S] [--dkim] [--concurrency C]`
// Measures, on the machine's PostgreSQL and a local SMTP sink that discards mail:
// - launching a campaign over N members (notifications + send jobs), target ≤ 60 s for 1,000,000;
// - one worker process's send rate, target ≥ 1,000 emails/s, and its peak RSS, target ≤ 512 MB;
// - a bare, tuned nodemailer loop against the same sink, and the worker's rate as a ratio of it (≥ 0.6).
// With --dkim, the worker and the bare loop both DKIM-sign every email (RSA 2048, a key made for
// the run), the same targets apply. It creates a database of its own and drops it at the end. Not
// part of `npm test`.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { parseArgs } from "node:util";

import pg from "pg";

import { systemActor } from "@/lib/auth/actor";
import { computeAudience } from "@/lib/campaigns/compute-audience";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";
import { startWorker } from "@/scripts/lib/stack";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";
import { figurePrinter, seconds, sleep } from "./lib/report";
import { peakRssMb } from "./lib/rss";
import { forkSink, sinkCount } from "./lib/smtp-sink";

const { values } = parseArgs({ options: { members: { type: "string", default: "1000000" }, seconds: { type: "string", default: "30" }, dkim: { type: "boolean", default: false }, concurrency: { type: "string", default: "2" } } });
const MEMBERS = Number(values.members);
const MEASURE_SECONDS = Number(values.seconds);
const SINK_PORT = 2626;

const figure = figurePrinter(58);

const main = async () => {
  const database = await createTestDatabase("objection_bench");
  // The key size receivers expect (RSA 2048): signing is the costliest step of an email with DKIM on.
  const dkim: Record<string, string> = values.dkim
    ? {
        DKIM_DOMAIN: "objection.test",
        DKIM_SELECTOR: "bench",
        DKIM_PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      }
    : {};
  // --concurrency: send jobs the worker runs at once (WORKER_BATCH_CONCURRENCY, 2 by default).
  const env = { ...TEST_ENV, ...dkim, DATABASE_URL: database.url, SMTP_URL: `smtp://127.0.0.1:${SINK_PORT}`, DATABASE_POOL_SIZE: "10", WORKER_BATCH_CONCURRENCY: values.concurrency };
  const signed = values.dkim ? ", DKIM-signed" : "";
  Object.assign(process.env, env);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => undefined);
  const sink = forkSink(SINK_PORT);
  await once(sink, "message");

  try {
    console.log(`Seeding ${MEMBERS.toLocaleString("en")} eligible members…`);
    let started = process.hrtime.bigint();
    await pool.query(
      `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT 'bench-' || i, 'member-' || i || '@example.eu',
              (ARRAY['AT','BE','DE','FR','IE','IT','NL','PL','ES','SE'])[1 + i % 10],
              date '1950-01-01' + (i % 18000),
              (ARRAY['en','de','fr'])[1 + i % 3]
       FROM generate_series(1, $1::int) AS i`,
      [MEMBERS],
    );
    await pool.query(`ANALYZE "Member"`);
    figure("seed members (s)", seconds(started).toFixed(1));

    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt") VALUES ('bench', '{email}', '{}', 'running', now()) RETURNING id`,
    );
    const campaignId = rows[0]!.id;
    started = process.hrtime.bigint();
    const { total, batches } = await computeAudience({ actor: systemActor(QUEUES.campaignAudience.name), campaignId });
    const launchSeconds = seconds(started);
    figure("launch: notifications created", total.toLocaleString("en"));
    figure("launch: send jobs created", batches.toLocaleString("en"));
    figure("launch time (s, target <= 60)", launchSeconds.toFixed(1));
    await stopJobs();
    await closePgPool();

    const worker = startWorker({ env, logs: !!process.env.BENCH_LOGS });
    const pid = worker.child.pid ?? 0;
    while ((await sinkCount(sink)).count < 2_000) await sleep(200);
    const from = await sinkCount(sink);
    await sleep(MEASURE_SECONDS * 1000);
    const to = await sinkCount(sink);
    const workerRate = (to.count - from.count) / ((to.at - from.at) / 1000);
    const rss = peakRssMb(pid);
    await pool.query(`UPDATE "Campaign" SET status = 'paused' WHERE id = $1`, [campaignId]);
    await worker.stop();
    figure(`worker send rate (emails/s${signed}, target >= 1000)`, workerRate.toFixed(0));
    figure("worker peak RSS (MB, target <= 512)", rss.toFixed(0));

    const bare = execFileSync(process.execPath, ["--import", "tsx", "scripts/bench/bare-send.ts"], {
      env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", SINK_PORT: String(SINK_PORT), BARE_MESSAGES: values.dkim ? "15000" : "30000" },
      encoding: "utf8",
    });
    const { sent, seconds: bareSeconds } = JSON.parse(bare.trim().split("\n").at(-1) ?? "{}") as { sent: number; seconds: number };
    const bareRate = sent / bareSeconds;
    figure(`bare nodemailer loop (emails/s${signed})`, bareRate.toFixed(0));
    figure("worker / bare loop (ratio, target >= 0.6)", (workerRate / bareRate).toFixed(2));
  } catch (error) {
    reportBenchFailure(error);
  } finally {
    sink.kill();
    await closeBenchConnections(pool);
    await dropTestDatabase(database.name);
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
