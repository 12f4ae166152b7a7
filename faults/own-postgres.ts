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
  port: number;
  dataDir: string;
  folder: string;
  start: () => Promise<void>;
  stop: (mode?: "fast" | "immediate") => Promise<void>;
  /** Stops the cluster (if up) and deletes its folder. */
  remove: () => Promise<void>;
};

const DEFAULT_BIN = process.env.POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

/** A temporary folder for a cluster, the postgres user's when this runs as root (PostgreSQL refuses to run as root). */
const clusterFolder = async (name: string) => {
  const folder = mkdtempSync(path.join(tmpdir(), `objection-${name}-`));
  if (process.getuid?.() === 0) chownSync(folder, await postgresId("-u"), await postgresId("-g"));
  return folder;
};

/** Start, stop and remove for the cluster in `folder`/data, listening on `port` (its config says so). */
const clusterControl = ({ bin, folder, port }: { bin: string; folder: string; port: number }) => {
  const dataDir = path.join(folder, "data");
  const runPg = (command: string, args: string[]) => runPostgresCommand({ bin, command, args });
  let up = false;
  const start = async () => {
    await runPg("pg_ctl", ["start", "-D", dataDir, "-l", path.join(folder, "postgres.log"), "-w"]);
    up = true;
  };
  const stop = async (mode: "fast" | "immediate" = "fast") => {
    await runPg("pg_ctl", ["stop", "-D", dataDir, "-m", mode, "-w"]);
    up = false;
  };
  const remove = async () => {
    if (up) await stop("immediate").catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  };
  return { url: `postgresql://postgres@127.0.0.1:${port}/objection`, port, dataDir, folder, start, stop, remove, runPg };
};

/** Loopback TCP on `port` only, no socket file. */
const listenOn = (port: number) => `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = ''\n`;

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, TCP on loopback only, no
 * socket file), started, with the database `objection` migrated: the machine's server is shared
 * with other tests, this one can be stopped and started at will. `settings` go in its postgresql.conf.
 */
export const startOwnCluster = async ({ bin = DEFAULT_BIN, port, name, settings = {} }: { bin?: string; port: number; name: string; settings?: Record<string, string> }): Promise<TOwnCluster> => {
  const { runPg, ...cluster } = clusterControl({ bin, folder: await clusterFolder(name), port });
  await runPg("initdb", ["-D", cluster.dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"]);
  const extra = Object.entries(settings).map(([key, value]) => `${key} = '${value}'\n`);
  appendFileSync(path.join(cluster.dataDir, "postgresql.conf"), listenOn(port) + extra.join(""));
  await cluster.start();
  await queryOnOwnConnection({ url: `postgresql://postgres@127.0.0.1:${port}/postgres`, text: "CREATE DATABASE objection" });
  await migrateDatabase({ DATABASE_URL: cluster.url });
  return cluster;
};

export type TOwnStandby = TOwnCluster & {
  /** Ends recovery: the standby becomes a primary that takes writes (pg_ctl promote, waiting for it). */
  promote: () => Promise<void>;
};

/**
 * A streaming standby of `primary` (pg_basebackup -R), started and caught up, on `port`. With
 * `synchronous`, the primary then waits for it at every commit (synchronous_standby_names names it),
 * so a commit the primary acknowledged is on the standby too. Its replay can be paused and resumed
 * with pg_wal_replay_pause() and pg_wal_replay_resume() to make it lag.
 */
export const startOwnStandby = async ({ bin = DEFAULT_BIN, primary, port, name, synchronous = false }: { bin?: string; primary: TOwnCluster; port: number; name: string; synchronous?: boolean }): Promise<TOwnStandby> => {
  const { runPg, ...standby } = clusterControl({ bin, folder: await clusterFolder(name), port });
  // initdb's pg_hba.conf (-A trust) lets 127.0.0.1 connect for replication.
  await runPg("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", standby.dataDir, "-R", "-X", "stream", "--checkpoint", "fast", "--no-sync"]);
  // The walreceiver names itself by cluster_name, the name synchronous_standby_names waits for.
  const applicationName = name.replace(/[^a-z0-9_]/gi, "_");
  appendFileSync(path.join(standby.dataDir, "postgresql.conf"), `${listenOn(port)}cluster_name = '${applicationName}'\nhot_standby_feedback = on\n`);
  await standby.start();
  const primaryAdmin = `postgresql://postgres@127.0.0.1:${primary.port}/postgres`;
  if (synchronous) {
    await queryOnOwnConnection({ url: primaryAdmin, text: `ALTER SYSTEM SET synchronous_standby_names = '${applicationName}'` });
    await queryOnOwnConnection({ url: primaryAdmin, text: "SELECT pg_reload_conf()" });
  }
  // Streaming, and (when asked) synchronous, before the test goes on.
  const deadline = Date.now() + 30_000;
  const wanted = synchronous ? "sync" : "async";
  for (;;) {
    const rows = await queryOnOwnConnection<{ sync_state: string }>({ url: primaryAdmin, text: "SELECT sync_state FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'", values: [applicationName] });
    if (rows[0]?.sync_state === wanted) break;
    if (Date.now() > deadline) throw new Error(`The standby ${name} was not streaming (${wanted}) within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { ...standby, promote: () => runPg("pg_ctl", ["promote", "-D", standby.dataDir, "-w"]).then(() => undefined) };
};
