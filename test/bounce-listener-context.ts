import { randomUUID } from "node:crypto";
import { connect } from "node:net";

import pg from "pg";
import { afterAll, beforeAll } from "vitest";

import { startBounceListener } from "@/lib/bounces/start-bounce-listener";
import { stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { BOUNCE_DOMAIN, BOUNCE_LOCAL } from "@/test/bounce-fixtures";
import { createCampaign } from "@/test/factories";

// What the bounce listener's test files share: a listener, a pool, notices to bounce and their state.

type TListener = Awaited<ReturnType<typeof startBounceListener>>;

let pool: pg.Pool | undefined;
let listener: TListener | undefined;

const ready = <T>(what: string, value: T | undefined) => {
  if (value === undefined) throw new Error(`The bounce listener test context's ${what} is there only once beforeAll has run`);
  return value;
};

/** Registers a listener on a free port and a pool on the file's database, for the file's tests. */
export const setupBounceListenerContext = () => {
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
    listener = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN });
  });
  afterAll(async () => {
    await listener?.stop();
    await stopJobs();
    await pool?.end();
    await closePgPool();
  });
  return { pool: () => ready("pool", pool), listener: () => ready("listener", listener) };
};

type TBounceState = {
  memberId: string;
  bounceKind: string | null;
  bouncedAt: Date | null;
  bounceStatus: string | null;
  bounceDiagnostic: string | null;
  softBounces: number;
  suppression: string | null;
  suppressedBy: string | null;
};

/** Members with one sent email notice each; returns each notice's id and its member's address. */
export const sentNotices = async (count: number) => {
  const prefix = `bounce-${randomUUID()}`;
  const campaign = await createCampaign({ db: ready("pool", pool), channels: ["email"], status: "done" });
  const { rows } = await ready("pool", pool).query<{ id: string; email: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate")
       SELECT $1 || '-' || i, $1 || '-' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, $2) AS i
       RETURNING id, email)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt")
     SELECT m.id, $3, 'email', 'sent', now() FROM m
     RETURNING id, (SELECT email FROM m WHERE m.id = "memberId")`,
    [prefix, count, campaign.id],
  );
  return rows;
};

export const stateOf = async (notificationId: string) =>
  (
    await ready("pool", pool).query<TBounceState>(
      `SELECT n."memberId", n."bounceKind", n."bouncedAt", n."bounceStatus", n."bounceDiagnostic", n."softBounces",
              s.reason AS suppression, s."notificationId" AS "suppressedBy"
       FROM "Notification" n LEFT JOIN "EmailSuppression" s ON s."memberId" = n."memberId"
       WHERE n.id = $1`,
      [notificationId],
    )
  ).rows[0]!;

export const untouched = { bounceKind: null, bouncedAt: null, bounceStatus: null, bounceDiagnostic: null, softBounces: 0, suppression: null, suppressedBy: null };

/** The SMTP reply code to a raw exchange, line by line, for what nodemailer will not send. */
export const smtpExchange = (port: number, lines: string[]) =>
  new Promise<string[]>((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const replies: string[] = [];
    let buffer = "";
    let sent = 0;
    socket.on("data", (chunk) => {
      buffer += chunk.toString();
      const complete = buffer.split("\r\n");
      buffer = complete.pop()!;
      for (const line of complete) {
        if (/^\d{3}-/.test(line)) continue;
        replies.push(line);
        if (sent < lines.length) socket.write(`${lines[sent++]}\r\n`);
        else socket.end();
      }
    });
    socket.on("close", () => resolve(replies));
    socket.on("error", reject);
  });

