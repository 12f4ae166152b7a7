import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "@/scripts/lib/free-port";
import { startChild } from "@/scripts/lib/stack";
import { waitForPort } from "@/test/pgbouncer";

// Debian's HAProxy in TCP mode in front of the primary, for DIRECT_DATABASE_URL (the sessions an
// export run or a member import opens): what a platform runs so that a failover needs no change
// on the machines, as Patroni's HAProxy does. It passes the bytes through, so PostgreSQL sees the
// session's startup `options` as sent. After a failover it is repointed through its runtime API.

const HAPROXY = process.env.HAPROXY_BIN ?? "/usr/sbin/haproxy";

const config = ({ port, upstreamPort, socket }: { port: number; upstreamPort: number; socket: string }) => `
global
  maxconn 200
  stats socket ${socket} mode 600 level admin

defaults
  mode tcp
  timeout connect 2s
  # An export's session may sit in one long statement: no idle timeout cuts it.
  timeout client 2h
  timeout server 2h

listen primary
  bind 127.0.0.1:${port}
  server db 127.0.0.1:${upstreamPort}
`;

/** One command on HAProxy's runtime API (its admin socket); resolves with its answer. */
const runtimeCommand = ({ socket, command }: { socket: string; command: string }) =>
  new Promise<string>((resolve, reject) => {
    let answer = "";
    const client = connect(socket, () => client.end(`${command}\n`));
    client.setEncoding("utf8");
    client.on("data", (chunk: string) => (answer += chunk));
    client.on("error", reject);
    client.on("close", () => resolve(answer.trim()));
  });

/** HAProxy in TCP mode on a free port, forwarding to PostgreSQL on `upstreamPort`. */
export const startTcpProxy = async ({ upstreamPort, logs = false }: { upstreamPort: number; logs?: boolean }) => {
  const folder = mkdtempSync(path.join(tmpdir(), "objection-tcp-proxy-"));
  chmodSync(folder, 0o700);
  const port = await freePort();
  const socket = path.join(folder, "admin.sock");
  const file = path.join(folder, "haproxy.cfg");
  writeFileSync(file, config({ port, upstreamPort, socket }));
  const child = startChild({ name: "haproxy-tcp", command: HAPROXY, args: ["-db", "-f", file], env: {}, logs });
  await waitForPort({ child: child.child, port, output: () => "(its output: FAULT_LOGS=1)", name: "HAProxy (TCP)" });
  return {
    name: "haproxy-tcp",
    /** `databaseUrl` (a database on the upstream server) as reached through the proxy. */
    urlFor: (databaseUrl: string) => {
      const url = new URL(databaseUrl);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    /** Sends new connections to PostgreSQL on `upstreamPort`, and closes those to the old server. */
    repoint: async (upstreamPort: number) => {
      const answer = await runtimeCommand({ socket, command: `set server primary/db addr 127.0.0.1 port ${upstreamPort}` });
      if (!/changed/.test(answer)) throw new Error(`HAProxy refused the new address: ${answer}`);
      await runtimeCommand({ socket, command: "shutdown sessions server primary/db" });
    },
    stop: async () => {
      await child.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
};
