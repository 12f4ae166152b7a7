import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";

// The discarding SMTP sink (scripts/bench/smtp-sink.ts) in a process of its own, so its parsing
// takes no CPU from the bench's own loop.

/** Forks a TypeScript script with tsx and the scripts' tsconfig, with an IPC channel. */
export const forkTs = (script: string, env: Record<string, string>) =>
  fork(script, [], { execArgv: ["--import", "tsx"], env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", ...env }, stdio: ["ignore", "pipe", "inherit", "ipc"] });

export const forkSink = (port: number) => forkTs("scripts/bench/smtp-sink.ts", { SINK_PORT: String(port) });

/** How many emails the sink has taken, and when it took the last one. */
export const sinkCount = async (sink: ChildProcess) => {
  const reply = once(sink, "message") as Promise<[{ count: number; at: number }]>;
  sink.send("count");
  return (await reply)[0];
};
