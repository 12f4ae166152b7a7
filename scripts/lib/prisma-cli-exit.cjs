// Preloaded into the Prisma CLI (`node --require ./scripts/lib/prisma-cli-exit.cjs …/prisma migrate deploy`).
// Prisma 6.19's WebAssembly schema engine arms a 10 s timer while it takes the migration advisory
// lock and never clears it, so every `migrate deploy` sits idle for 10 s after its last statement.
// Unref'd timers still fire while the CLI is busy (a lock wait keeps its socket open), they only
// stop holding an otherwise finished process open.
const { setTimeout: originalSetTimeout } = globalThis;
globalThis.setTimeout = (callback, delay, ...args) => {
  const timer = originalSetTimeout(callback, delay, ...args);
  if (delay >= 5_000) timer.unref();
  return timer;
};
