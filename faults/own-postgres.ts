import { appendFileSync, chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { migrateDatabase, run } from "@/scripts/lib/stack";

// Helpers for a fault test that runs a PostgreSQL server of its own, to stop and start at will.

/** The `status` of a JSON answer, or undefined when the body is not JSON. */
export const jsonStatus = (text: string) => {
  try {
    return (JSON.parse(text) as { status?: unknown }).status;
  } catch {
    return undefined;
  }
};

/** Runs one of PostgreSQL's programs (initdb, pg_ctl); it refuses to run as root, so as root it runs as the postgres user. */
export const runPostgresCommand = ({ bin, command, args }: { bin: string; command: string; args: string[] }) => {
  const program = path.join(bin, command);
  const invocation = process.getuid?.() === 0 ? { command: "runuser", args: ["-u", "postgres", "--", program, ...args] } : { command: program, args };
  return run({ ...invocation, env: {}, quiet: true });
};

/** The postgres user's uid or gid, to hand it the test's data folder. */
export const postgresId = async (flag: "-u" | "-g") => Number((await run({ command: "id", args: [flag, "postgres"], env: {}, quiet: true })).trim());

/** A query on a connection of its own, so a test's checks never reuse one a restart killed. */
export const queryOnOwnConnection = async <T extends pg.QueryResultRow>({ url, text, values = [] }: { url: string; text: string; values?: unknown[] }) => {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** Whether the server takes a connection and answers a query now. */
export const acceptsConnections = (url: string) =>
  queryOnOwnConnection({ url, text: "SELECT 1" }).then(
    () => true,
    () => false,
  );

export type TOwnCluster = {
  /** The app's database on the cluster. */
  url: string;
  dataDir: string;
  folder: string;
  start: () => Promise<void>;
  stop: (mode?: "fast" | "immediate") => Promise<void>;
  /** Stops the cluster (if up) and deletes its folder. */
  remove: () => Promise<void>;
};

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, TCP on loopback only, no
 * socket file), started, with the database `objection` migrated: the machine's server is shared
 * with other tests, this one can be stopped and started at will.
 */
export const startOwnCluster = async ({ bin = process.env.POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin", port, name }: { bin?: string; port: number; name: string }): Promise<TOwnCluster> => {
  const folder = mkdtempSync(path.join(tmpdir(), `objection-${name}-`));
  const dataDir = path.join(folder, "data");
  const runPg = (command: string, args: string[]) => runPostgresCommand({ bin, command, args });
  if (process.getuid?.() === 0) chownSync(folder, await postgresId("-u"), await postgresId("-g"));
  await runPg("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"]);
  appendFileSync(path.join(dataDir, "postgresql.conf"), `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = ''\n`);
  let up = false;
  const start = async () => {
    await runPg("pg_ctl", ["start", "-D", dataDir, "-l", path.join(folder, "postgres.log"), "-w"]);
    up = true;
  };
  const stop = async (mode: "fast" | "immediate" = "fast") => {
    await runPg("pg_ctl", ["stop", "-D", dataDir, "-m", mode, "-w"]);
    up = false;
  };
  await start();
  const url = `postgresql://postgres@127.0.0.1:${port}/objection`;
  await queryOnOwnConnection({ url: `postgresql://postgres@127.0.0.1:${port}/postgres`, text: "CREATE DATABASE objection" });
  await migrateDatabase({ DATABASE_URL: url });
  return {
    url,
    dataDir,
    folder,
    start,
    stop,
    remove: async () => {
      if (up) await stop("immediate").catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
};
