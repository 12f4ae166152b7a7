// Starts the parts of a running system (database, SMTP inbox, app, worker) as child
// processes or in-process servers. Shared by `npm run demo` and the e2e test setup.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

export type TStackEnv = Record<string, string>;

export type TStopper = { name: string; stop: () => Promise<void> };

/** Polls a URL until it answers 2xx, or fails with the name of what did not come up. */
export const waitForHttp = async ({ url, name, timeoutMs = 120_000 }: { url: string; name: string; timeoutMs?: number }) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(300);
  }
  throw new Error(`${name} did not answer at ${url} within ${Math.round(timeoutMs / 1000)} s`);
};

/** Runs a command to completion; on failure the error carries its output. */
export const run = async ({ command, args, env, quiet = false }: { command: string; args: string[]; env: TStackEnv; quiet?: boolean }) => {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: quiet ? "pipe" : "inherit" });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${[command, ...args].join(" ")} exited with ${code}\n${output}`);
  return output;
};

const stopChild = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
};

/** Starts a long-running child; its output is prefixed so the demo's console stays readable. */
type TChildOptions = { name: string; command: string; args: string[]; env: TStackEnv; logs?: boolean; onLine?: (line: string) => void };

export const startChild = ({ name, command, args, env, logs = true, onLine }: TChildOptions) => {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  if (onLine) {
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream! }).on("line", onLine);
  }
  // A line that already names its process (the worker tags its own) is not tagged twice.
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => (line.startsWith(`[${name}]`) ? `${line}\n` : `[${name}] ${line}\n`))
      .join("");
  child.stdout?.on("data", (chunk: Buffer) => logs && process.stdout.write(prefix(chunk)));
  child.stderr?.on("data", (chunk: Buffer) => logs && process.stderr.write(prefix(chunk)));
  return { name, child, stop: () => stopChild(child) };
};

/** Waits for a child to answer at `url`; if it exits first (a taken port, a bad variable), says so at once. */
const waitUntilReady = async ({ child, url, name, hint }: { child: ChildProcess; url: string; name: string; hint: string }) => {
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`${name} exited with code ${String(code)} before it was ready (${hint})`);
  });
  exited.catch(() => undefined);
  await Promise.race([waitForHttp({ url, name }), exited]);
};

// The preload lets the CLI exit when it is done (see the file): 10 s less per migration.
const prismaCli = ["--require", "./scripts/lib/prisma-cli-exit.cjs", "node_modules/prisma/build/index.js"];
const nextCli = ["node_modules/next/dist/bin/next"];
// `npm start`'s own script: Next.js's handler, with a shutdown a load balancer can follow.
const webStart = "scripts/start-web.mjs";
const maildevCli = "node_modules/maildev/dist/bin/maildev.js";
const tsxCli = ["node_modules/tsx/dist/cli.mjs", "--tsconfig", "tsconfig.scripts.json"];
// One process (no tsx wrapper), so signals and memory figures are the worker's own.
const tsxImport = ["--import", "tsx"];
const tsxEnv = { TSX_TSCONFIG_PATH: "tsconfig.scripts.json" };

// The database migrated is the one `env` names (prisma.config.ts prefers DIRECT_DATABASE_URL), never one this process's own environment names.
export const migrateDatabase = (env: TStackEnv) => {
  const target = env.DIRECT_DATABASE_URL ?? env.DATABASE_URL;
  return run({ command: process.execPath, args: [...prismaCli, "migrate", "deploy"], env: target ? { ...env, DIRECT_DATABASE_URL: target } : env, quiet: true });
};

export const seedDatabase = (env: TStackEnv) => run({ command: process.execPath, args: [...tsxCli, "prisma/seed.ts"], env, quiet: true });

export const buildApp = (env: TStackEnv) => run({ command: process.execPath, args: [...nextCli, "build"], env: { NEXT_TELEMETRY_DISABLED: "1", ...env }, quiet: true });

export const startApp = async ({ env, port, logs, onLine }: { env: TStackEnv; port: number; logs?: boolean; onLine?: (line: string) => void }) => {
  // As `npm start` does: V8 otherwise lets the heap grow to gigabytes under load before it collects.
  const heapMb = process.env.WEB_MAX_HEAP_MB ?? "192";
  const app = startChild({
    name: "app",
    command: process.execPath,
    args: [`--max-old-space-size=${heapMb}`, webStart, "--port", String(port)],
    env: { NEXT_TELEMETRY_DISABLED: "1", ...env },
    logs,
    onLine,
  });
  await waitUntilReady({ child: app.child, url: `http://127.0.0.1:${port}/api/health`, name: "The app", hint: `is port ${port} taken?` });
  return app;
};

export const startWorker = ({ env, logs, onLine }: { env: TStackEnv; logs?: boolean; onLine?: (line: string) => void }) =>
  startChild({ name: "worker", command: process.execPath, args: [...tsxImport, "scripts/worker.ts"], env: { ...tsxEnv, OBJECTION_SERVICE: "worker", ...env }, logs, onLine });

/**
 * maildev: a real SMTP server with a web inbox and a REST API (`/api/email`), in a process of its
 * own like the app and the worker. Mail is kept in `mailDirectory` (memory when not given).
 */
export const startMaildev = async ({ smtpPort, webPort, mailDirectory, logs }: { smtpPort: number; webPort: number; mailDirectory?: string; logs?: boolean }) => {
  if (mailDirectory) mkdirSync(mailDirectory, { recursive: true, mode: 0o700 });
  const inbox = startChild({
    name: "inbox",
    command: process.execPath,
    args: [maildevCli, "--silent", "--smtp", String(smtpPort), "--ip", "127.0.0.1", "--web", String(webPort), "--web-ip", "127.0.0.1", ...(mailDirectory ? ["--mail-directory", mailDirectory] : [])],
    env: {},
    logs,
  });
  await waitUntilReady({ child: inbox.child, url: `http://127.0.0.1:${webPort}/api/email`, name: "The inbox (maildev)", hint: `are ports ${smtpPort} and ${webPort} free?` });
  return { name: "inbox", stop: inbox.stop };
};

/** PGlite (PostgreSQL compiled to WebAssembly), served over the wire protocol with a session per connection. */
export const startEmbeddedPostgres = async ({ dataDir, port }: { dataDir: string; port: number }) => {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pgcrypto } = await import("@electric-sql/pglite/contrib/pgcrypto");
  const { serveEmbeddedPostgres } = await import("./embedded-postgres");
  const db = await PGlite.create(dataDir, { extensions: { pgcrypto } });
  const server = await serveEmbeddedPostgres({ db, port });
  return {
    name: "embedded PostgreSQL",
    url: `postgresql://postgres:postgres@127.0.0.1:${server.port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
};

/** Stops everything in reverse order of starting, even if one part fails to stop. */
export const stopAll = async (parts: TStopper[]) => {
  for (const part of [...parts].reverse()) {
    try {
      await part.stop();
    } catch (error) {
      console.error(`Could not stop ${part.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
};
