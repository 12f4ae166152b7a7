import { stopAll, type TStopper } from "@/scripts/lib/stack";

import { processTree } from "./rss";

// One bench run: everything it starts is registered here, so a failure or Ctrl-C stops it all (in
// reverse order) and drops its database before the process ends.

const parts: TStopper[] = [];
let interrupted = false;
let stopLoad: (() => void) | undefined;
let cleaning: Promise<void> | undefined;

export const register = (part: TStopper) => void parts.push(part);

export const isInterrupted = () => interrupted;

/** After Ctrl-C, a phase that was cut short is not reported as if it had run. */
export const stopIfInterrupted = () => {
  if (interrupted) throw new Error("Interrupted");
};

/** The load running now, stopped first on Ctrl-C. */
export const setCurrentLoad = (stop: (() => void) | undefined) => {
  stopLoad = stop;
};

const cleanup = () =>
  (cleaning ??= stopAll(parts).then(() => {
    // A build still running when we were stopped is no registered part: end what is left of our
    // own descendants, by id.
    for (const pid of processTree(process.pid).slice(1)) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // Gone already.
      }
    }
  }));

/** Runs `main`, prints the summary whatever happened, stops everything registered, and exits. */
export const runBench = ({ main, summary }: { main: () => Promise<void>; summary: () => void }) => {
  // Ctrl-C or a kill: stop the load, every process and the database, then go. `on`, not `once`:
  // tsx relays the terminal's SIGINT a second time, and a second signal with no listener left
  // would end the process before the database is dropped.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      console.error(`\n${signal}: stopping everything…`);
      interrupted = true;
      stopLoad?.();
      void cleanup().finally(() => process.exit(130));
    });
  }
  main()
    .catch((error: unknown) => {
      if (interrupted) return;
      console.error(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    })
    .finally(async () => {
      summary();
      await cleanup();
      process.exit(interrupted ? 130 : undefined);
    });
};
