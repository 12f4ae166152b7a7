// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/evidence.ts [--notices N] [--out FILE] [--level 0-9] [--verify]`
// A campaign's evidence pack at size, in a database of its own: seeds a done campaign of N notices
// (default 1,000,000; the size is 30,000,000), set-based with generate_series (2 % bounced,
// 30 % seen, 5 % clicked, a tenth in-app), then streams its pack through the lib function the
// route calls (writeEvidencePack) to /dev/null or --out, and prints the time to the first byte, the
// total time, rows/s, the ZIP's and notices.csv's bytes, and this process's RSS: sampled every
// 250 ms (at 10 %, 50 % and 90 % of the rows, and the peak), so a pack held in memory would show
// as RSS growing with the rows. --level sets the deflate level (default the app's); --verify
// times `evidence:verify`'s check of the written file (needs --out); --keep leaves the database
// for a look at the plan. Not part of `npm test`.
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { parseArgs } from "node:util";

import pg from "pg";

import { EVIDENCE_COMPRESSION_LEVEL, writeEvidencePack } from "@/lib/evidence/write-evidence-pack";
import { verifyEvidencePack } from "@/lib/evidence/verify-evidence-pack";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_PUBLIC_KEY, TEST_SIGNING_KEY } from "@/test/export-fixtures";
import { TEST_ENV } from "@/test/test-env";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";
import { peakRssMb } from "./lib/rss";
import { figurePrinter, fmt, seconds } from "./lib/report";

const { values } = parseArgs({
  options: { notices: { type: "string", default: "1000000" }, out: { type: "string" }, level: { type: "string", default: String(EVIDENCE_COMPRESSION_LEVEL) }, verify: { type: "boolean", default: false }, keep: { type: "boolean", default: false } },
  strict: true,
});
const NOTICES = Number(values.notices);
const LEVEL = Number(values.level);
if (!Number.isInteger(NOTICES) || NOTICES < 1) throw new Error("--notices must be a whole number of 1 or more");
if (!Number.isInteger(LEVEL) || LEVEL < 0 || LEVEL > 9) throw new Error("--level must be 0 to 9");
if (values.verify && !values.out) throw new Error("--verify needs --out FILE");

const figure = figurePrinter(52);
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** Members and their notices, a statement of at most 1,000,000 each: the send, bounce, seen and click columns set as the app sets them. */
const seed = async (pool: pg.Pool) => {
  const started = process.hrtime.bigint();
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, status, total, "launchedAt", "audienceAt", "completedAt") VALUES ('bench', '{email,in_app}', 'done', $1, now() - interval '2 days', now() - interval '2 days', now()) RETURNING id`,
    [NOTICES],
  );
  const campaignId = rows[0]!.id;
  for (let from = 1; from <= NOTICES; from += 1_000_000) {
    const to = Math.min(NOTICES, from + 999_999);
    await pool.query(
      `WITH m AS (
         INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
         SELECT 'bench-' || i, 'bench-' || i || '@example.eu', 'IE', date '1980-01-01', 'en' FROM generate_series($2::int, $3::int) AS i
         RETURNING id, "externalId"
       )
       INSERT INTO "Notification" ("memberId", "campaignId", channel, status, locale, "noticeVersion", "sentAt", "relayReply", "bounceKind", "bouncedAt", "bounceStatus", "seenAt", "clickedAt")
       SELECT m.id, $1, CASE WHEN i % 10 = 0 THEN 'in_app' ELSE 'email' END::"NotificationChannel",
         CASE WHEN i % 20 = 1 THEN 'clicked' WHEN i % 10 IN (2, 3, 4) THEN 'seen' ELSE 'sent' END::"NotificationStatus",
         'en', 'sha256:3f1c9a4e8b2d4c7a', now() - interval '1 day',
         CASE WHEN i % 10 <> 0 THEN '250 2.0.0 Ok: queued as ' || upper(substr(md5(i::text), 1, 12)) END,
         CASE WHEN i % 50 = 7 THEN 'hard'::"NotificationBounce" END, CASE WHEN i % 50 = 7 THEN now() - interval '20 hours' END, CASE WHEN i % 50 = 7 THEN '5.1.1' END,
         CASE WHEN i % 20 = 1 OR i % 10 IN (2, 3, 4) THEN now() - interval '12 hours' END, CASE WHEN i % 20 = 1 THEN now() - interval '11 hours' END
       FROM m CROSS JOIN LATERAL (SELECT substr(m."externalId", 7)::int AS i) n`,
      [campaignId, from, to],
    );
  }
  await pool.query(`ANALYZE "Member"`);
  await pool.query(`ANALYZE "Notification"`);
  figure(`seed: ${fmt(NOTICES)} notices (s)`, seconds(started).toFixed(1));
  return campaignId;
};

const main = async () => {
  const database = await createTestDatabase("objection_bench");
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: database.url });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const campaignId = await seed(pool);
    const rssBefore = rssMb();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 250);
    const started = process.hrtime.bigint();
    const pack = await writeEvidencePack({ campaignId, privateKey: TEST_SIGNING_KEY, compressionLevel: LEVEL });
    let bytes = 0;
    let firstByte: number | null = null;
    const marks: string[] = [];
    const expectedZip = NOTICES * (LEVEL === 0 ? 190 : 40);
    const meter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        firstByte ??= seconds(started);
        const before = bytes / expectedZip;
        bytes += chunk.length;
        for (const share of [0.1, 0.5, 0.9]) if (before < share && bytes / expectedZip >= share) marks.push(`~${share * 100} %: ${rssMb().toFixed(0)} MB`);
        callback(null, chunk);
      },
    });
    await pipeline(pack.output, meter, createWriteStream(values.out ?? "/dev/null"));
    const files = await pack.finished;
    const total = seconds(started);
    clearInterval(sampler);
    const notices = files.find((file) => file.name === "notices.csv")!;
    figure("time to first byte (ms)", ((firstByte ?? 0) * 1000).toFixed(0));
    figure(`total, ${fmt(NOTICES)} notices (s)`, total.toFixed(1));
    figure("notices.csv rows/s", fmt(NOTICES / total));
    figure(`ZIP bytes (deflate level ${LEVEL})`, fmt(bytes));
    figure("notices.csv bytes, uncompressed", fmt(notices.bytes));
    figure("notices.csv rows in the manifest", fmt(notices.rows ?? 0));
    figure("RSS before the pack (MB)", rssBefore.toFixed(0));
    figure("RSS during the pack (by share of the ZIP written)", marks.join(", "));
    figure("RSS peak while streaming, sampled (MB)", peak.toFixed(0));
    figure("process peak RSS, VmHWM incl. seed (MB)", peakRssMb(process.pid).toFixed(0));
    if (values.verify) {
      const verifyStarted = process.hrtime.bigint();
      const result = await verifyEvidencePack({ zipPath: values.out!, publicKey: TEST_PUBLIC_KEY });
      figure(`evidence:verify (s, ${result.ok ? "ok" : result.problems.join("; ")})`, seconds(verifyStarted).toFixed(1));
    }
  } finally {
    await closeBenchConnections(pool);
    if (values.keep) console.log(`kept the database: ${database.url}`);
    else await dropTestDatabase(database.name);
  }
};

main().catch(reportBenchFailure);
