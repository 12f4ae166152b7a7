// A local SMTP server that accepts and discards mail, counting it. Run by the benchmarks as a
// child process (so it does not share an event loop with what is measured); answers "count" over
// IPC. Two cluster workers share the port, so the sink is not what limits a fast sender.
import cluster from "node:cluster";

import { SMTPServer } from "smtp-server";

const port = Number(process.env.SINK_PORT ?? 2626);
const WORKERS = 2;

if (cluster.isPrimary) {
  let count = 0;
  let ready = 0;
  for (let i = 0; i < WORKERS; i++) {
    const worker = cluster.fork();
    worker.on("message", (message: { ready?: boolean; received?: number }) => {
      if (message.received) count += message.received;
      if (message.ready && ++ready === WORKERS) process.send?.({ ready: true });
    });
  }
  process.on("message", (message) => {
    if (message === "count") process.send?.({ count, at: Date.now() });
  });
  process.on("disconnect", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    maxClients: 1000,
    onData: (stream, _session, callback) => {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        received++;
        callback();
      });
    },
  });
  server.on("error", () => undefined);
  server.listen(port, "127.0.0.1", () => process.send?.({ ready: true }));
  // Report in small steps, so the primary's count lags by at most 50 ms.
  setInterval(() => {
    if (received === 0) return;
    process.send?.({ received });
    received = 0;
  }, 50);
}
