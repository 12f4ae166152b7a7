import pg from "pg";
import { afterAll, afterEach, beforeAll } from "vitest";

import { closeMailTransport } from "@/lib/mail/transport";
import { startWorker, type TStopper } from "@/scripts/lib/stack";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { closeTestDatabase } from "@/test/close-test-database";
import { createTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

type TCampaignTestContextOptions = {
  /** Prefix of the file's own database: a campaign reaches every eligible member in its database. */
  databaseName: string;
  sink?: Parameters<typeof startSmtpSink>[0];
  /** Set for this process and every worker, on top of TEST_ENV, the database and the sink. */
  env?: Record<string, string>;
};

/**
 * Registers the hooks a campaign test file needs: its own migrated database, an SMTP sink, this
 * process's environment pointed at both, and workers that are stopped after each test. Read the
 * accessors inside tests or hooks only; they are set in beforeAll.
 */
export const setupCampaignTestContext = ({ databaseName, sink: sinkOptions, env = {} }: TCampaignTestContextOptions) => {
  let database: { name: string; url: string } | undefined;
  let sink: TSmtpSink | undefined;
  let pool: pg.Pool | undefined;
  const workers: TStopper[] = [];

  const ready = <T>(what: string, value: T | undefined) => {
    if (value === undefined) throw new Error(`The campaign test context's ${what} is there only once beforeAll has run`);
    return value;
  };

  const workerEnv = (extra: Record<string, string> = {}) => ({
    ...TEST_ENV,
    DATABASE_URL: ready("database", database).url,
    SMTP_URL: ready("sink", sink).url,
    ...env,
    ...extra,
  });

  const stopWorkers = async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  };

  beforeAll(async () => {
    database = await createTestDatabase(databaseName);
    sink = await startSmtpSink(sinkOptions);
    Object.assign(process.env, workerEnv());
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });

  afterEach(stopWorkers);

  afterAll(async () => {
    closeMailTransport();
    await sink?.stop();
    await closeTestDatabase({ database, clients: [pool] });
  });

  return {
    get database() {
      return ready("database", database);
    },
    get sink() {
      return ready("sink", sink);
    },
    get pool() {
      return ready("pool", pool);
    },
    /** A worker process on this file's database and sink; `extra` overrides its environment. Stopped after the test. */
    startWorker: (extra?: Record<string, string>) => {
      const worker = startWorker({ env: workerEnv(extra), logs: false });
      workers.push(worker);
      return worker;
    },
    stopWorkers,
  };
};
