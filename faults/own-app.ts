import { existsSync } from "node:fs";

import { afterAll, beforeAll } from "vitest";

import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp, stopAll, type TStopper } from "@/scripts/lib/stack";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

export type TOwnApp = { port: number; app: TStopper; sink: TSmtpSink; databaseUrl: string };

/**
 * Registers the hooks of a fault test that needs the production build on a database and an SMTP
 * sink of its own, on a free port: `env` goes on top of TEST_ENV. The getter is set in beforeAll.
 */
export const setupOwnApp = ({ databasePrefix, env = {} }: { databasePrefix: string; env?: Record<string, string> }) => {
  let parts: TStopper[] = [];
  let state: TOwnApp | undefined;
  let database: { name: string; url: string } | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(databasePrefix);
    const sink = await startSmtpSink();
    const port = await freePort();
    const appEnv = { ...TEST_ENV, DATABASE_URL: database.url, APP_URL: `http://127.0.0.1:${port}`, SMTP_URL: sink.url, ...env };
    // Builds the app when no build is there (about 90 s here); after `npm test`, it starts in about 3 s.
    if (!existsSync(".next/BUILD_ID")) await buildApp(appEnv);
    const app = await startApp({ env: appEnv, port, logs: process.env.FAULT_LOGS === "1" });
    parts = [app];
    state = { port, app, sink, databaseUrl: database.url };
  }, 300_000);

  afterAll(async () => {
    await stopAll(parts);
    await state?.sink.stop();
    if (database) await dropTestDatabase(database.name);
  });

  return () => {
    if (!state) throw new Error("The app is there only once beforeAll has run");
    return state;
  };
};
