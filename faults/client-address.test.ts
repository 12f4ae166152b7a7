import { request as httpRequest } from "node:http";

import { describe, expect, it } from "vitest";

import { setupOwnApp } from "./own-app";


// `next start` with TRUSTED_PROXIES=0 and no proxy in front: the /object form's per-visitor limit
// counts by the socket's address, whatever the client writes in X-Forwarded-For (Next.js keeps a
// client's header as it is) or in the header the patched Next.js records the socket in. Clients
// connect from addresses of their own on loopback (127.0.0.2, 127.0.0.3, …).

const PER_VISITOR = 2;


type TPost = { from: string; headers?: Record<string, string>; email?: string };

/** One form post on a connection of its own, from the local address `from`; resolves to its status. */
const post = ({ from, headers = {}, email = `visitor-${Math.random().toString(36).slice(2)}@example.eu` }: TPost) =>
  new Promise<number>((resolve, reject) => {
    const body = new URLSearchParams({ email }).toString();
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port: ownApp().port,
        path: "/object/request",
        method: "POST",
        localAddress: from,
        agent: false,
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), accept: "application/json", ...headers },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(body);
  });

/** Headers a client writes to pass for someone else: a new X-Forwarded-For, and the socket header itself, on every post. */
const forged = (n: number) => ({ "x-forwarded-for": `198.51.100.${n}`, "x-objection-socket-ip": `192.0.2.${n}` });

const ownApp = setupOwnApp({ databasePrefix: "objection_client_address", env: { TRUSTED_PROXIES: "0", LINK_REQUESTS_PER_IP_PER_HOUR: String(PER_VISITOR) } });

describe("the visitor's address under next start with TRUSTED_PROXIES=0", () => {
  it("a client that writes X-Forwarded-For, or the socket header, on each post stays in its socket's bucket", async () => {
    const statuses = [];
    for (let n = 1; n <= PER_VISITOR + 1; n += 1) statuses.push(await post({ from: "127.0.0.2", headers: forged(n) }));

    expect(statuses).toEqual([...Array<number>(PER_VISITOR).fill(202), 429]);
  });

  it("another socket address has a budget of its own (the bucket is the socket's address, not one shared by all)", async () => {
    expect(await post({ from: "127.0.0.3", headers: forged(1) })).toBe(202);
  });

  it("a post from another site's page gets 403 and spends nothing of the visitor's budget", async () => {
    expect(await post({ from: "127.0.0.4", headers: { origin: "https://evil.example" } })).toBe(403);
    expect(await post({ from: "127.0.0.4", headers: { origin: "null" } })).toBe(202);
    expect(await post({ from: "127.0.0.4" })).toBe(202);
  });
});
