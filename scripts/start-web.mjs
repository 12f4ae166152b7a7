// @ts-check
// A web instance: `npm start`. Next.js's own request handler (the one `next start` runs, patches
// included), on a server of ours, because `next start` cannot leave a load balancer cleanly: on
// SIGTERM it waits for every open connection without a bound and exits 143. Here SIGTERM (or
// SIGINT) makes /api/health answer 503, stops taking connections at once, lets the requests in
// flight finish within SHUTDOWN_GRACE_SECONDS (default 20), cuts what is left, runs the app's
// last writes (instrumentation.ts) and exits 0. `-p/--port` and `-H/--hostname` work as for `next start`.
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
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${String(port)}`);
  process.exit(1);
}
if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
  console.error("Invalid environment: SHUTDOWN_GRACE_SECONDS must be a number of seconds, 0 or more");
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

const closeIdleAnswered = () => {
  for (const [socket, state] of connections) if (!state.busy && state.answered > 0) socket.destroy();
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
  connections.set(socket, { busy: false, answered: 0 });
  socket.once("close", () => connections.delete(socket));
});
server.on("error", (error) => {
  console.error(`Failed to start server: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`web instance ready on ${hostname ?? "*"}:${port}`));

/** @param {NodeJS.Signals} signal */
const shutdown = async (signal) => {
  if (lifecycle.shuttingDown) return;
  lifecycle.shuttingDown = true;
  const started = Date.now();
  console.log(JSON.stringify({ level: "info", time: new Date().toISOString(), service: "web", event: "web_stopping", signal, inFlight: inFlight.size, graceSeconds, msg: "finishing requests in flight" }));
  // No new connection from now on; the callback comes once every open one has ended. The listener
  // alone: http's own close() would also close every connection without a request under way,
  // including those just accepted whose request is on its way, which the load balancer then answers 502.
  const allDone = new Promise((resolve) => NetServer.prototype.close.call(server, () => resolve(true)));
  for (const response of inFlight) if (!response.headersSent) response.setHeader("connection", "close");
  closeIdleAnswered();
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const graceOver = new Promise((resolve) => (timer = setTimeout(() => resolve(false), graceSeconds * 1000)));
  const finished = await Promise.race([allDone, graceOver]);
  if (!finished) {
    console.log(JSON.stringify({ level: "warn", time: new Date().toISOString(), service: "web", event: "web_grace_over", cut: inFlight.size, connections: connections.size, msg: "requests still in flight after the grace period were cut" }));
    server.closeAllConnections();
  }
  // The app's last writes (the event tally, the pool), within what is left of the grace period.
  const left = Math.max(1000, graceSeconds * 1000 - (Date.now() - started));
  clearTimeout(timer);
  await Promise.race([Promise.allSettled(lifecycle.onDrained.map((hook) => hook())), new Promise((resolve) => setTimeout(resolve, left).unref())]);
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
