import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "@/scripts/lib/free-port";
import { startChild, waitForHttp } from "@/scripts/lib/stack";

// Debian's HAProxy in front of a fault test's web instances, configured as docs/operations.md
// says: a health check on /api/health every 500 ms, a refused connection retried on another
// instance, and a connection per request to the instances.

const HAPROXY = process.env.HAPROXY_BIN ?? "/usr/sbin/haproxy";

export type THaproxy = Awaited<ReturnType<typeof startHaproxy>>;

const config = ({ port, statsPort, servers }: { port: number; statsPort: number; servers: { name: string; port: number }[] }) => `
global
  maxconn 4096
  log stdout format raw local0 info

defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  # A check's own deadline (without it, the check interval: an instance busy for 250 ms would be marked down).
  timeout check 2s
  log global
  option httplog
  option dontlog-normal
  # A connection an instance refuses (it is stopping, or gone) is tried again, on another instance.
  retries 3
  option redispatch 1
  # So is a request whose instance died under it (killed, it answers nothing): HAProxy keeps the
  # request and sends it again, for reads and for the objection form only. The form is safe to send
  # twice: a member has one live objection, and a second post of it answers as the first did.
  # Other posts (the API, the console) could act twice, so a dead instance fails them.
  retry-on conn-failure empty-response junk-response
  option http-buffer-request
  # A connection per request to the instances: none is closed under a request sent on it.
  option http-server-close

frontend web
  bind 127.0.0.1:${port}
  http-request disable-l7-retry if !METH_GET !{ path /o/submit }
  default_backend instances

backend instances
  balance roundrobin
  option httpchk GET /api/health
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
${servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port} check`).join("\n")}

listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;

/** HAProxy in the foreground on a free port, balancing `servers`; `state()` reads what its health checks say of each. */
export const startHaproxy = async ({ servers, port: portGiven, logs = false }: { servers: { name: string; port: number }[]; port?: number; logs?: boolean }) => {
  const folder = mkdtempSync(path.join(tmpdir(), "objection-haproxy-"));
  const port = portGiven ?? (await freePort());
  const statsPort = await freePort();
  const file = path.join(folder, "haproxy.cfg");
  writeFileSync(file, config({ port, statsPort, servers }));
  const child = startChild({ name: "haproxy", command: HAPROXY, args: ["-db", "-f", file], env: {}, logs });
  await waitForHttp({ url: `http://127.0.0.1:${statsPort}/stats;csv`, name: "HAProxy", timeoutMs: 10_000 });

  /** Each server's status as HAProxy's checks see it: `UP`, `DOWN`, or a transition such as `UP 1/2`. */
  const state = async () => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const [header, ...rows] = csv.replace(/^# /, "").trim().split("\n");
    const columns = header!.split(",");
    const at = (name: string) => columns.indexOf(name);
    return Object.fromEntries(
      rows
        .map((row) => row.split(","))
        .filter((cells) => cells[at("pxname")] === "instances" && servers.some((server) => server.name === cells[at("svname")]))
        .map((cells) => [cells[at("svname")]!, cells[at("status")]!]),
    ) as Record<string, string>;
  };

  return {
    name: "haproxy",
    url: `http://127.0.0.1:${port}`,
    state,
    /** Resolves once HAProxy's checks say `name` is `status` (`UP` or `DOWN`), with the milliseconds it took. */
    waitFor: async ({ name, status, timeoutMs = 30_000 }: { name: string; status: "UP" | "DOWN"; timeoutMs?: number }) => {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        if ((await state())[name] === status) return Date.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`HAProxy did not see ${name} ${status} within ${timeoutMs / 1000} s`);
    },
    stop: async () => {
      await child.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
};
