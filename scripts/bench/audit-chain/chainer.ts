// The bench's chainer: a process of its own, as the worker is in production, running
// chainAuditLogs as the worker does (lib/audit/start-audit-chainer.ts): back to back while a batch
// comes back full, else a pause of the poll interval. Started paused; SIGUSR2 starts
// it, SIGUSR1 pauses it (after its round in flight), SIGTERM ends it. Prints "ready", then
// "running" or "paused" each time it has switched, and "chained N cpu MS" (rows in all, and its
// CPU since "ready") as it ends.
import pg from "pg";

import { AUDIT_CHAIN_POLL_MS, CHAIN_BATCH_SIZE, chainAuditLogs } from "@/lib/audit/chain-audit-log";

const POLL_MS = Number(process.env.AUDIT_CHAIN_BENCH_POLL_MS ?? AUDIT_CHAIN_POLL_MS);

const main = async () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2, application_name: "objection-bench-chainer" });
  await pool.query("SELECT 1");
  let stopping = false;
  let running = false;
  let announced = false;
  let chained = 0;
  // A switch ends the wait at once, so a round never waits for the chainer's poll.
  let wake = () => undefined as void;
  const signalled = (change: () => void) => () => {
    change();
    announced = false;
    wake();
  };
  process.on("SIGTERM", signalled(() => (stopping = true)));
  process.on("SIGUSR1", signalled(() => (running = false)));
  process.on("SIGUSR2", signalled(() => (running = true)));
  // Its own CPU from here on: start-up (tsx compiling) is no part of chaining.
  const cpuAtReady = process.cpuUsage();
  console.log("ready");
  while (!stopping) {
    if (!announced) {
      console.log(running ? "running" : "paused");
      announced = true;
    }
    const round = running ? await chainAuditLogs({ pool }) : { AuditEvent: 0, ObjectionEvent: 0 };
    chained += round.AuditEvent + round.ObjectionEvent;
    // The worker's rule: the next round at once only after a full batch. (Going on while any row
    // came back polled far more often than the worker does, and chained in more, smaller batches.)
    const full = round.AuditEvent === CHAIN_BATCH_SIZE || round.ObjectionEvent === CHAIN_BATCH_SIZE;
    if (!full && announced && !stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, running ? POLL_MS : 60_000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
  await pool.end();
  const cpu = process.cpuUsage(cpuAtReady);
  console.log(`chained ${chained} cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
