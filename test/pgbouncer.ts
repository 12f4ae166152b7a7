import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

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
  /** What PgBouncer wrote (its log goes to stderr as well), for a failing test's message. */
  output: () => string;
};

const configOf = ({ upstream, port, folder, poolSize }: { upstream: URL; port: number; folder: string; poolSize: number }) => `
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
`;

/** Resolves once something accepts TCP connections on the port; rejects when the child exits first. */
const waitForPort = async ({ child, port, output }: { child: ChildProcess; port: number; output: () => string }) => {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PgBouncer exited with ${child.exitCode}:\n${output()}`);
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
  throw new Error(`PgBouncer did not listen on ${port} within 10 s:\n${output()}`);
};

/**
 * Starts PgBouncer 1.18 (Debian's package) in transaction mode in front of `upstreamUrl`'s server,
 * on a free port, with trust authentication for `user` (the upstream must trust it too, as the
 * machine's and the tests' own clusters do). As root it drops to the postgres user: PgBouncer
 * refuses to run as root.
 */
export const startPgBouncer = async ({ upstreamUrl, user = "postgres", poolSize = 20 }: { upstreamUrl: string; user?: string; poolSize?: number }): Promise<TPgBouncer> => {
  const upstream = new URL(upstreamUrl);
  const folder = mkdtempSync(path.join(tmpdir(), "pgbouncer-"));
  const port = await freePort();
  writeFileSync(path.join(folder, "users.txt"), `"${user}" ""\n`);
  const config = path.join(folder, "pgbouncer.ini");
  writeFileSync(config, configOf({ upstream, port, folder, poolSize }));
  const asRoot = process.getuid?.() === 0;
  const args = asRoot ? ["-u", "postgres", config] : [config];
  // It writes its pidfile after switching user: the folder must be the postgres user's by then.
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    for (const file of [folder, config, path.join(folder, "users.txt")]) chownSync(file, uid, gid);
  }
  const child = spawn(PGBOUNCER_BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
  // A run that ends without stop() (a hook that timed out) must not leave PgBouncer behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let text = "";
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk: Buffer) => (text = (text + chunk.toString()).slice(-20_000)));
  const output = () => text;
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGINT");
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitForPort({ child, port, output });
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
  return { port, urlFor, stop, output };
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
