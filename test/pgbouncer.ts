import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { freePort } from "@/scripts/lib/free-port";

// A PgBouncer of a test's (or a bench's) own, in front of a PostgreSQL server, configured as a
// platform runs it: transaction pooling and PgBouncer's defaults for everything else, in
// particular no `ignore_startup_parameters`, so a client that sends `options` is refused.

/** Debian's package puts it in /usr/sbin, which is not on every PATH. */
const PGBOUNCER_BIN = process.env.PGBOUNCER_BIN ?? (existsSync("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : "pgbouncer");

export type TPgBouncer = {
  port: number;
  /** `databaseUrl` (a database on the upstream server) as reached through this PgBouncer. */
  urlFor: (databaseUrl: string) => string;
  /** Stops PgBouncer (SIGINT: at once, dropping its connections) and removes its folder. */
  stop: () => Promise<void>;
  /**
   * Stops PgBouncer at once (SIGINT, every client connection dropped) and starts it again on the
   * same port and configuration; resolves once it accepts connections, with the milliseconds it
   * was not listening.
   */
  restart: () => Promise<{ downMs: number }>;
  /**
   * Points PgBouncer at another server (`upstreamUrl`'s host and port), as an operator or Patroni
   * does after a failover: the configuration rewritten and reloaded (its admin console's RELOAD),
   * without a restart. Clients stay connected; server connections to the old server are closed
   * as they are released. Resolves with the milliseconds the reload took.
   */
  repoint: (upstreamUrl: string) => Promise<{ reloadMs: number }>;
  /** What PgBouncer wrote (its log goes to stderr as well), for a failing test's message. */
  output: () => string;
};

type TConfig = { upstream: URL; port: number; folder: string; poolSize: number; user: string; serverLoginRetrySeconds?: number };

const configOf = ({ upstream, port, folder, poolSize, user, serverLoginRetrySeconds }: TConfig) => `
[databases]
* = host=${upstream.hostname} port=${upstream.port || "5432"}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
pool_mode = transaction
auth_type = trust
auth_file = ${path.join(folder, "users.txt")}
pidfile = ${path.join(folder, "pgbouncer.pid")}
default_pool_size = ${poolSize}
max_client_conn = 1000
admin_users = ${user}
${serverLoginRetrySeconds === undefined ? "" : `server_login_retry = ${serverLoginRetrySeconds}\n`}`;

/** Resolves once something accepts TCP connections on the port; rejects when `child` (`name`) exits first. */
export const waitForPort = async ({ child, port, output, name = "PgBouncer" }: { child: ChildProcess; port: number; output: () => string; name?: string }) => {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output()}`);
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not listen on ${port} within 10 s:\n${output()}`);
};

/**
 * Starts PgBouncer 1.18 (Debian's package) in transaction mode in front of `upstreamUrl`'s server,
 * on a free port, with trust authentication for `user` (the upstream must trust it too, as the
 * machine's and the tests' own clusters do). As root it drops to the postgres user: PgBouncer
 * refuses to run as root. `serverLoginRetrySeconds` sets `server_login_retry` (PgBouncer's
 * default, 15 s, when not given): how long PgBouncer waits after a failed login to the server
 * before it tries again, which bounds a failover's recovery once it is repointed.
 */
export const startPgBouncer = async ({
  upstreamUrl,
  user = "postgres",
  poolSize = 20,
  serverLoginRetrySeconds,
}: {
  upstreamUrl: string;
  user?: string;
  poolSize?: number;
  serverLoginRetrySeconds?: number;
}): Promise<TPgBouncer> => {
  const folder = mkdtempSync(path.join(tmpdir(), "pgbouncer-"));
  const port = await freePort();
  const users = path.join(folder, "users.txt");
  const config = path.join(folder, "pgbouncer.ini");
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? await postgresIds() : undefined;
  const writeConfig = (upstream: URL) => {
    writeFileSync(config, configOf({ upstream, port, folder, poolSize, user, serverLoginRetrySeconds }));
    // It writes its pidfile after switching user: the folder must be the postgres user's by then.
    if (ids) for (const file of [folder, config, users]) chownSync(file, ids.uid, ids.gid);
  };
  writeFileSync(users, `"${user}" ""\n`);
  writeConfig(new URL(upstreamUrl));

  let text = "";
  const output = () => text;
  let child: ChildProcess | undefined;
  // A run that ends without stop() (a hook that timed out) must not leave PgBouncer behind.
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);
  const launch = async () => {
    child = spawn(PGBOUNCER_BIN, asRoot ? ["-u", "postgres", config] : [config], { stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => (text = (text + chunk.toString()).slice(-20_000)));
    await waitForPort({ child, port, output });
  };
  const halt = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGINT");
    await exited;
  };
  const stop = async () => {
    process.off("exit", killOnExit);
    await halt();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  const urlFor = (databaseUrl: string) => {
    const url = new URL(databaseUrl);
    url.hostname = "127.0.0.1";
    url.port = String(port);
    return url.toString();
  };
  const restart = async () => {
    const started = Date.now();
    await halt();
    await launch();
    return { downMs: Date.now() - started };
  };
  const repoint = async (target: string) => {
    const started = Date.now();
    writeConfig(new URL(target));
    const admin = new pg.Client({ connectionString: urlFor(`postgresql://${user}@127.0.0.1/pgbouncer`) });
    await admin.connect();
    try {
      await admin.query("RELOAD");
    } finally {
      await admin.end();
    }
    return { reloadMs: Date.now() - started };
  };
  return { port, urlFor, stop, restart, repoint, output };
};

const postgresIds = async () => {
  const idOf = async (flag: "-u" | "-g") => {
    const child = spawn("id", [flag, "postgres"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await once(child, "exit");
    return Number(out.trim());
  };
  return { uid: await idOf("-u"), gid: await idOf("-g") };
};
