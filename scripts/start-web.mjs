// @ts-check
// A web instance: `npm start`. Next.js's own request handler (the one `next start` runs, patches
// included), on a server of ours, because `next start` cannot leave a load balancer cleanly: on
// SIGTERM it waits for every open connection without a bound and exits 143. Here SIGTERM (or
// SIGINT) makes /api/health answer 503; after SHUTDOWN_DRAIN_SECONDS (default 2), time for the load
// balancer to see that and send nothing more, and once no connection came for a moment, the
// instance stops taking connections; the requests in flight finish within SHUTDOWN_GRACE_SECONDS
// (default 20, counted from the signal), what is left is cut, the app's last writes run
// (instrumentation.ts) and it exits 0. `-p/--port` and `-H/--hostname` work as for `next start`.
import { createServer } from "node:http";
import { Server as NetServer } from "node:net";

process.env.NODE_ENV ??= "production";
process.title = "objection-web";

/** @param {string[]} names */
const argument = (names) => {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => names.includes(arg));
  return index >= 0 ? args[index + 1] : undefined;
};

const port = Number(argument(["-p", "--port"]) ?? process.env.PORT ?? 3000);
const hostname = argument(["-H", "--hostname"]);
const graceSeconds = Number(process.env.SHUTDOWN_GRACE_SECONDS ?? 20);
const drainSeconds = Number(process.env.SHUTDOWN_DRAIN_SECONDS ?? 2);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${String(port)}`);
  process.exit(1);
}
for (const [name, value] of [["SHUTDOWN_GRACE_SECONDS", graceSeconds], ["SHUTDOWN_DRAIN_SECONDS", drainSeconds]]) {
  if (Number.isFinite(value) && Number(value) >= 0) continue;
  console.error(`Invalid environment: ${name} must be a number of seconds, 0 or more`);
  process.exit(1);
}
// As `next start` sets them: the app reaches itself on PORT (lib/links/cached-page-render.ts), and
// Next.js's server actions read the origin.
process.env.PORT = String(port);
process.env.__NEXT_PRIVATE_ORIGIN = `http://${hostname && hostname !== "0.0.0.0" ? hostname : "localhost"}:${port}`;

/**
 * What the app and this script share (lib/lifecycle/web-lifecycle.ts reads it): whether shutdown
 * began, and what to run once the requests in flight are done. On globalThis because Next.js loads
 * the app's modules in its own module graph.
 * @type {{ shuttingDown: boolean; onDrained: Array<() => Promise<unknown>> }}
 */
const lifecycle = { shuttingDown: false, onDrained: [] };
/** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[Symbol.for("objection.web-lifecycle")] = lifecycle;

const { default: next } = await import("next");
const app = next({ dev: false, dir: process.cwd(), hostname, port });
const handle = app.getRequestHandler();
// Handlers (and instrumentation.ts, which checks the environment) first: the port opens only once
// the instance can serve, so a load balancer's first health check already means something.
await app.prepare();

/**
 * Each open connection: whether a request is under way on it, and how many it has answered. On
 * shutdown an idle connection that has answered is closed; a new one is left its first request (a
 * load balancer sent it before it saw the instance go, so it is served, then the connection closes).
 * @type {Map<import("node:net").Socket, { busy: boolean; answered: number }>}
 */
const connections = new Map();
/** @type {Set<import("node:http").ServerResponse>} */
const inFlight = new Set();

// How long a connection accepted before SIGTERM may take to send its first request: the load
// balancer's request is on its way within it; a connection opened ahead and never used is not
// worth the rest of the grace period.
const FIRST_REQUEST_WAIT_MS = 1_000;
// The drain ends once no connection has come for this long: the load balancer has stopped sending
// (its checks, seconds apart, may still come). While connections keep coming it goes on, up to
// half the grace period, since closing the port under traffic resets what the kernel has queued.
const QUIET_MS = 250;
let lastConnectionAt = 0;

const closeIdleAnswered = () => {
  for (const [socket, state] of connections) if (!state.busy && state.answered > 0) socket.destroy();
};

const closeIdle = () => {
  for (const [socket, state] of connections) if (!state.busy) socket.destroy();
};

const server = createServer((request, response) => {
  const state = connections.get(request.socket);
  if (state) state.busy = true;
  inFlight.add(response);
  // A request that came after SIGTERM is still served, on a connection that closes after it.
  if (lifecycle.shuttingDown) response.setHeader("connection", "close");
  response.on("close", () => {
    inFlight.delete(response);
    if (state) {
      state.busy = false;
      state.answered++;
    }
    if (lifecycle.shuttingDown) setImmediate(closeIdleAnswered);
  });
  handle(request, response).catch((error) => {
    console.error(error);
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});
server.on("connection", (socket) => {
  lastConnectionAt = Date.now();
  connections.set(socket, { busy: false, answered: 0 });
  socket.once("close", () => connections.delete(socket));
});
server.on("error", (error) => {
  console.error(`Failed to start server: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`web instance ready on ${hostname ?? "*"}:${port}`));

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} event @param {string} msg @param {Record<string, unknown>} fields */
const log = (event, msg, fields, level = "info") => console.log(JSON.stringify({ level, time: new Date().toISOString(), service: "web", event, ...fields, msg }));

/** @param {NodeJS.Signals} signal */
const shutdown = async (signal) => {
  if (lifecycle.shuttingDown) return;
  lifecycle.shuttingDown = true;
  const started = Date.now();
  const graceMs = graceSeconds * 1000;
  log("web_stopping", "health answers 503; draining, then finishing requests in flight", { signal, inFlight: inFlight.size, drainSeconds, graceSeconds });
  // The drain: still serving (each answer closes its connection), while the load balancer's
  // checks see the 503 and it stops sending. Closing the listener under traffic instead resets the
  // connections the kernel accepted that the process had not taken yet: a 502 for each.
  closeIdleAnswered();
  await sleep(Math.min(drainSeconds * 1000, graceMs));
  while (drainSeconds > 0 && Date.now() - lastConnectionAt < QUIET_MS && Date.now() - started < graceMs / 2) await sleep(50);
  // No new connection from now on; the callback comes once every open one has ended. The listener
  // alone: http's own close() would also close every connection without a request under way,
  // including those just accepted whose request is on its way.
  const allDone = new Promise((resolve) => NetServer.prototype.close.call(server, () => resolve(true)));
  for (const response of inFlight) if (!response.headersSent) response.setHeader("connection", "close");
  closeIdleAnswered();
  setTimeout(closeIdle, FIRST_REQUEST_WAIT_MS).unref();
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const graceOver = new Promise((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, graceMs - (Date.now() - started)))));
  const finished = await Promise.race([allDone, graceOver]);
  clearTimeout(timer);
  if (!finished) {
    log("web_grace_over", "requests still in flight after the grace period were cut", { cut: inFlight.size, connections: connections.size }, "warn");
    for (const socket of connections.keys()) socket.destroy();
  }
  // The app's last writes (the event tally, the pool), within what is left of the grace period (a second at least).
  const left = Math.max(1000, graceMs - (Date.now() - started));
  await Promise.race([Promise.allSettled(lifecycle.onDrained.map((hook) => hook())), new Promise((resolve) => setTimeout(resolve, left).unref())]);
  log("web_stopped", "stopped", { seconds: (Date.now() - started) / 1000 });
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
