import path from "node:path";

import pg from "pg";

import { run } from "@/scripts/lib/stack";

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
