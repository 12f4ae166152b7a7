import { afterAll, beforeAll } from "vitest";

import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { closeMailTransport } from "@/lib/mail/transport";
import { closePgPool } from "@/lib/pg";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";

// What the test files that send receipts and withdrawal confirmations share (vitest only: it
// registers hooks and closes the app's connections). Playwright has its own inbox (test/inbox.ts).

type TReceiptMailOptions = {
  sink?: Parameters<typeof startSmtpSink>[0];
  /** Set for the file, before anything calls env(), and put back as they were after it. */
  env?: Record<string, string>;
};

/**
 * Registers the file's own SMTP sink with SMTP_URL pointed at it, and closes the mail transport,
 * the sink, the job queue and the database connections after the file. Read `sink()` inside tests
 * or hooks only: it is set in beforeAll.
 */
export const setupReceiptMail = ({ sink: sinkOptions, env = {} }: TReceiptMailOptions = {}) => {
  let sink: TSmtpSink | undefined;
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));

  const current = () => {
    if (!sink) throw new Error("The receipt mail sink is there only once beforeAll has run");
    return sink;
  };

  beforeAll(async () => {
    sink = await startSmtpSink(sinkOptions);
    // Before anything calls env(): this file's mail goes to its own sink.
    Object.assign(process.env, { SMTP_URL: sink.url, ...env });
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    closeMailTransport();
    await sink?.stop();
    await stopJobs();
    await db().$disconnect();
    await closePgPool();
  });

  return {
    sink: current,
    /** Every message the sink holds for this address, oldest first; the address's case does not matter. */
    messagesTo: (address: string) =>
      current().messages.filter((message) => message.to && !Array.isArray(message.to) && message.to.value.some((to) => to.address?.toLowerCase() === address.toLowerCase())),
    /** Stops the sink (and the transport that holds connections to it) until `restartSink`; its port is kept. */
    stopSink: async () => {
      closeMailTransport();
      await current().stop();
      return current().port;
    },
    /** A fresh, empty sink on the port the stopped one had. */
    restartSink: async () => {
      closeMailTransport();
      sink = await startSmtpSink({ port: current().port });
    },
  };
};
