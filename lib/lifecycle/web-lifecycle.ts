import "server-only";

/**
 * What a web instance's start script (scripts/start-web.mjs, `npm start`) shares with the app:
 * whether SIGTERM arrived, and the work to run once the requests in flight are done. Absent under
 * `next dev` or a bare `next start`, where Next.js handles the signals itself.
 */
export type TWebLifecycle = { shuttingDown: boolean; onDrained: Array<() => Promise<unknown>> };

const KEY = Symbol.for("objection.web-lifecycle");

/** The start script's lifecycle, or undefined when the instance was started some other way. */
export const webLifecycle = () => (globalThis as unknown as Record<symbol, TWebLifecycle | undefined>)[KEY];

/** True once the instance began to shut down: it finishes what it has and takes nothing new. */
export const isShuttingDown = () => webLifecycle()?.shuttingDown === true;
