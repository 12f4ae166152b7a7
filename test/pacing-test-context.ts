import type { AddressInfo } from "node:net";

import pg from "pg";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll } from "vitest";

import { jobs } from "@/lib/jobs";
import { closeMailTransport } from "@/lib/mail/transport";
import { startWorker, type TStopper } from "@/scripts/lib/stack";
import { closeTestDatabase } from "@/test/close-test-database";
import { createTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

/**
 * Registers the hooks a per-domain pacing test file needs: its own database (the audience is every
 * eligible member in it), an SMTP server that records each email's arrival and can answer 451 to
 * chosen addresses, this process's environment pointed at both with `domainRates`
 * (MAIL_DOMAIN_RATES for the batches it sends itself), and workers stopped after each test.
 */
export const setupPacingTestContext = ({ databaseName, domainRates }: { databaseName: string; domainRates: string }) => {
  let database: { name: string; url: string } | undefined;
  let pool: pg.Pool | undefined;
  let smtp: SMTPServer | undefined;
  /** Each email as the SMTP server took it: its recipient and when its DATA ended. */
  const arrivals: { to: string; at: number }[] = [];
  /** Addresses the SMTP server answers 451 at RCPT TO, and how many times more it does. */
  const refusals = new Map<string, number>();
  const workers: TStopper[] = [];

  const ready = <T>(what: string, value: T | undefined) => {
    if (value === undefined) throw new Error(`The pacing test context's ${what} is there only once beforeAll has run`);
    return value;
  };
  const smtpUrl = () => `smtp://127.0.0.1:${(ready("SMTP server", smtp).server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    database = await createTestDatabase(databaseName);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const left = refusals.get(address.address.toLowerCase()) ?? 0;
        if (left === 0) return callback();
        refusals.set(address.address.toLowerCase(), left - 1);
        callback(Object.assign(new Error("4.2.1 Mailbox busy, try again later"), { responseCode: 451 }));
      },
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on("end", () => {
          for (const to of session.envelope.rcptTo) arrivals.push({ to: to.address.toLowerCase(), at: Date.now() });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => ready("SMTP server", smtp).listen(0, "127.0.0.1", resolve));
    Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: database.url, SMTP_URL: smtpUrl(), MAIL_DOMAIN_RATES: domainRates });
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    // pg-boss's schema and queues, as every deployment has them: a send job that has waited a
    // while asks pg-boss whether another job is ready (lib/campaigns/requeue-batch.ts).
    await jobs();
  });

  // A test's workers (and their rates) do not take the next test's jobs.
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });

  afterAll(async () => {
    closeMailTransport();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await closeTestDatabase({ database, clients: [pool] });
  });

  const insertRunningCampaign = async (name: string) => {
    const { rows } = await ready("pool", pool).query<{ id: string }>(
      `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt", "audienceAt") VALUES ($1, '{email}', '{}', 'running', now(), now()) RETURNING id`,
      [name],
    );
    return rows[0]!.id;
  };

  /** A member and a queued email of batch 0 for each row, the email's id given or random. */
  const insertNotifications = async ({ campaignId, rows }: { campaignId: string; rows: { email: string; id?: string }[] }) => {
    await ready("pool", pool).query(
      `WITH m AS (
         INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
         SELECT 'pacing-' || gen_random_uuid(), e, 'DE', '1980-01-01', 'en' FROM unnest($1::text[]) AS u(e)
         RETURNING id, email)
       INSERT INTO "Notification" (id, "memberId", "campaignId", channel, status, batch)
       SELECT COALESCE(u.id, gen_random_uuid()), m.id, $3, 'email', 'queued', 0 FROM m JOIN unnest($1::text[], $2::uuid[]) AS u(e, id) ON u.e = m.email`,
      [rows.map((row) => row.email), rows.map((row) => row.id ?? null), campaignId],
    );
  };

  return {
    get database() {
      return ready("database", database);
    },
    get pool() {
      return ready("pool", pool);
    },
    arrivals,
    refusals,
    smtpUrl,
    /** A worker process with this environment; stopped after the test. */
    startWorker: (env: Record<string, string>) => {
      workers.push(startWorker({ env, logs: false }));
    },
    insertRunningCampaign,
    insertNotifications,
  };
};
