// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/bounces.ts [--reports N] [--connections C]`
// Measures the bounce listener (`scripts/bounces.ts`, in a process of its own) on the machine's
// PostgreSQL: N delivery status notifications for N sent notices, handed over on C SMTP
// connections at once. Each goes to its notice's signed VERP address (bounces+<id>.<day>.<mac>@…)
// and quotes the notice's headers with its Message-ID, so the listener checks the MAC, the age and
// the quote of every one, as it does in production. A report counts when the listener has answered 250, which it does only once
// the bounce is stored, so the figure is reports recorded per second. Target ≥ 500/s.
// It creates a database of its own and drops it at the end. Not part of `npm test`.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { parseArgs } from "node:util";

import nodemailer from "nodemailer";
import pg from "pg";

import { startChild } from "@/scripts/lib/stack";
import { BOUNCE_DOMAIN, BOUNCE_LOCAL, deliveryStatusNotification, verpFor } from "@/test/bounce-fixtures";
import { createCampaign } from "@/test/factories";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { reportBenchFailure } from "./lib/in-process";
import { figurePrinter, seconds } from "./lib/report";

const { values } = parseArgs({ options: { reports: { type: "string", default: "20000" }, connections: { type: "string", default: "10" } } });
const REPORTS = Number(values.reports);
const CONNECTIONS = Number(values.connections);
const LISTENER_PORT = 2727;
// One report in this many is a soft bounce (4.2.2), the rest hard bounces (5.1.1).
const SOFT_EVERY = 5;

// User + system CPU seconds a process has used so far (Linux).
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const figure = figurePrinter(44);

// As lib/mail/transport.ts does for the relay: without TCP_NODELAY each message waits for a delayed ACK.
const noDelaySocket = (options: { host?: string; port?: number }, callback: (error: Error | null, socketOptions?: { connection: ReturnType<typeof connect> }) => void) => {
  const socket = connect({ host: options.host, port: options.port ?? 25 });
  socket.setNoDelay(true);
  callback(null, { connection: socket });
};

const main = async () => {
  const database = await createTestDatabase("objection_bench_bounces");
  const env = { ...TEST_ENV, DATABASE_URL: database.url, DATABASE_POOL_SIZE: "4", BOUNCE_DOMAIN, BOUNCE_LOCAL, BOUNCE_SMTP_PORT: String(LISTENER_PORT), LOG_LEVEL: "info" };
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => undefined);
  let listener: ReturnType<typeof startChild> | undefined;
  let batches = 0;

  try {
    const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
    const { rows: notices } = await pool.query<{ id: string; email: string }>(
      `WITH m AS (
         INSERT INTO "Member" ("externalId", email, country, "birthDate")
         SELECT 'bench-' || i, 'member-' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, $1::int) AS i
         RETURNING id, email)
       INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt")
       SELECT m.id, $2, 'email', 'sent', now() FROM m
       RETURNING id, (SELECT email FROM m WHERE m.id = "memberId")`,
      [REPORTS, campaign.id],
    );
    await pool.query(`ANALYZE "Notification"`);
    const reports = notices.map(({ id, email }, index) => ({
      to: verpFor(id),
      raw: deliveryStatusNotification({ notificationId: id, recipient: email, ...(index % SOFT_EVERY === 0 ? { status: "4.2.2", diagnostic: "smtp; 452 4.2.2 Mailbox full" } : { status: "5.1.1" }) }),
    }));

    let ready = () => {};
    const readyLine = new Promise<void>((resolve) => (ready = resolve));
    listener = startChild({
      name: "bounces",
      command: process.execPath,
      args: ["--import", "tsx", "scripts/bounces.ts"],
      env: { TSX_TSCONFIG_PATH: "tsconfig.scripts.json", OBJECTION_SERVICE: "bounces", ...env },
      logs: false,
      onLine: (line) => {
        if (line.includes('"bounces_ready"')) ready();
        if (line.includes('"bounces_recorded"')) batches++;
      },
    });
    const exited = once(listener.child, "exit").then(([code]) => {
      throw new Error(`The listener exited with code ${String(code)} before it was ready (is port ${LISTENER_PORT} taken?)`);
    });
    exited.catch(() => undefined);
    await Promise.race([readyLine, exited]);

    const transport = nodemailer.createTransport({ host: "127.0.0.1", port: LISTENER_PORT, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity, getSocket: noDelaySocket });
    let next = 0;
    let refused = 0;
    const sender = async () => {
      while (next < reports.length) {
        const { to, raw } = reports[next++]!;
        await transport.sendMail({ envelope: { from: "", to: [to] }, raw }).catch(() => refused++);
      }
    };
    const listenerCpu = cpuSeconds(listener.child.pid!);
    const senderCpu = process.cpuUsage();
    batches = 0;
    const started = process.hrtime.bigint();
    // Twice as many messages in flight as connections, so none waits on the client.
    await Promise.all(Array.from({ length: CONNECTIONS * 2 }, sender));
    const elapsed = seconds(started);
    const listenerBusy = (cpuSeconds(listener.child.pid!) - listenerCpu) / elapsed;
    const { user, system } = process.cpuUsage(senderCpu);
    const senderBusy = (user + system) / 1e6 / elapsed;
    transport.close();

    const { rows: [stored] } = await pool.query<{ hard: number; soft: number; suppressed: number }>(
      `SELECT count(*) FILTER (WHERE "bounceKind" = 'hard')::int AS hard, count(*) FILTER (WHERE "softBounces" = 1 AND "bounceKind" IS NULL)::int AS soft,
              (SELECT count(*)::int FROM "EmailSuppression") AS suppressed
       FROM "Notification"`,
    );
    const expectedSoft = Math.ceil(REPORTS / SOFT_EVERY);
    figure("reports sent", `${REPORTS.toLocaleString("en")} on ${CONNECTIONS} connections`);
    figure("refused", String(refused));
    figure("stored: hard bounces / soft / suppressions", `${stored!.hard} / ${stored!.soft} / ${stored!.suppressed} (expected ${REPORTS - expectedSoft} / ${expectedSoft} / ${REPORTS - expectedSoft})`);
    figure("writes (one statement each)", `${batches}, ${(REPORTS / Math.max(batches, 1)).toFixed(1)} reports each`);
    figure("listener CPU / sender CPU (cores)", `${listenerBusy.toFixed(2)} / ${senderBusy.toFixed(2)}`);
    figure("reports stored per second (target >= 500)", (REPORTS / elapsed).toFixed(0));
    if (refused > 0 || stored!.hard !== REPORTS - expectedSoft || stored!.soft !== expectedSoft || stored!.suppressed !== REPORTS - expectedSoft) process.exitCode = 1;
  } catch (error) {
    reportBenchFailure(error);
  } finally {
    await listener?.stop();
    await pool.end();
    await dropTestDatabase(database.name);
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
