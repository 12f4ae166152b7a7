// The bench's chainer: a process of its own, as the worker is in production, running
// chainAuditLogs back to back (a short pause when nothing is left). Started paused; SIGUSR2 starts
// it, SIGUSR1 pauses it (after its round in flight), SIGTERM ends it. Prints "ready", then
// "running" or "paused" each time it has switched, and "chained N" (rows in all) as it ends.
import pg from "pg";

import { chainAuditLogs } from "@/lib/audit/chain-audit-log";

const POLL_MS = Number(process.env.AUDIT_CHAIN_BENCH_POLL_MS ?? 200);

const main = async () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  await pool.query("SELECT 1");
  let stopping = false;
  let running = false;
  let announced = false;
  let chained = 0;
  process.on("SIGTERM", () => void (stopping = true));
  process.on("SIGUSR1", () => void ((running = false), (announced = false)));
  process.on("SIGUSR2", () => void ((running = true), (announced = false)));
  console.log("ready");
  while (!stopping) {
    if (!announced) {
      console.log(running ? "running" : "paused");
      announced = true;
    }
    const round = running ? await chainAuditLogs({ pool }) : { AuditEvent: 0, ObjectionEvent: 0 };
    const rows = round.AuditEvent + round.ObjectionEvent;
    chained += rows;
    if (rows === 0) await new Promise((resolve) => setTimeout(resolve, running ? POLL_MS : 10));
  }
  await pool.end();
  console.log(`chained ${chained}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
