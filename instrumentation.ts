import type { Instrumentation } from "next";

// Runs once when a server instance starts: a missing or malformed variable stops it
// with one line that names the variable, before any request is served.
export const register = async () => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertEnv, env } = await import("@/lib/env");
  assertEnv();
  // Auth.js builds sign-in links and redirects from this, not from the host a request names.
  process.env.AUTH_URL ??= `${env().APP_URL}/api/auth`;
  const { warnIfReceiptsUnsigned } = await import("@/lib/receipts/warn-unsigned-receipts");
  warnIfReceiptsUnsigned();
  // The events this process counted in memory (lib/metrics/event-tally.ts) are written on the way out.
  const { flushEventTally } = await import("@/lib/metrics/event-tally");
  const { webLifecycle } = await import("@/lib/lifecycle/web-lifecycle");
  const lifecycle = webLifecycle();
  if (lifecycle) {
    // `npm start` (scripts/start-web.mjs): once the requests in flight are done, so theirs are counted too.
    const { closePgPool } = await import("@/lib/pg");
    lifecycle.onDrained.push(() => flushEventTally({ closing: true }).finally(closePgPool));
    return;
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      // Next stops the server on these signals; should nothing else listen, end the process as the signal would.
      const alone = process.listenerCount(signal) === 0;
      void flushEventTally({ closing: true }).finally(() => alone && process.kill(process.pid, signal));
    });
  }
};

/**
 * A request that failed past every handler of ours (a page that threw, shown app/error.tsx): one log
 * line with the error's class, message and code (lib/logger.ts), beside Next.js's own. The route's
 * pattern, not the path, which may hold a link token.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logger } = await import("@/lib/logger");
  logger().error({ event: "request_failed", method: request.method, route: context.routePath, routeType: context.routeType, error }, "a request failed");
};
