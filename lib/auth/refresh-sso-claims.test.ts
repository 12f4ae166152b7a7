import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { refreshSsoClaims } from "@/lib/auth/refresh-sso-claims";
import type { TSsoServer } from "@/lib/auth/sso-oauth";

// What the session check makes of the provider's answers it cannot get from the test provider on
// demand: a refusal ends a session, anything else (a 5xx, a proxy's page, no answer) ends nothing.

/** Answers the token endpoint at /<status> with that status; /html with a proxy's page. */
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/html") {
      res.writeHead(502, { "content-type": "text/html" });
      return res.end("<html><body>Bad gateway</body></html>");
    }
    const status = Number(path.slice(1));
    const error = status === 401 ? "invalid_client" : status === 429 ? "slow_down" : status >= 500 ? "temporarily_unavailable" : "invalid_grant";
    res.writeHead(status, { "content-type": "application/json", ...(status === 401 ? { "www-authenticate": `Basic realm="op", error="${error}"` } : {}) });
    res.end(JSON.stringify({ error, error_description: "someone@example.org is not allowed" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const providerAt = (tokenEndpoint: string): TSsoServer => ({
  server: { issuer: base, token_endpoint: tokenEndpoint },
  client: { client_id: "objection-console" },
  clientAuth: oauth.ClientSecretBasic("a-client-secret"),
  options: { [oauth.allowInsecureRequests]: true, signal: () => AbortSignal.timeout(5_000) },
});
const refresh = (tokenEndpoint: string) => refreshSsoClaims({ provider: providerAt(tokenEndpoint), refreshToken: "a-refresh-token", subject: "someone" });

describe("a refresh's answer", () => {
  it("is a refusal when the provider answers an OAuth error with a 4xx: its code, never its description", async () => {
    expect(await refresh(`${base}/400`)).toEqual({ outcome: "refused", error: "invalid_grant", status: 400 });
    expect(await refresh(`${base}/401`)).toMatchObject({ outcome: "refused", error: "invalid_client", status: 401 });
  });

  it("says nothing when the provider fails, answers something that is not OAuth's, or does not answer", async () => {
    expect(await refresh(`${base}/503`)).toMatchObject({ outcome: "unreachable", status: 503 });
    expect(await refresh(`${base}/500`)).toMatchObject({ outcome: "unreachable", status: 500 });
    // Rate limited: not a refusal, whatever the body says.
    expect(await refresh(`${base}/429`)).toMatchObject({ outcome: "unreachable", status: 429 });
    expect(await refresh(`${base}/403`)).toMatchObject({ outcome: "unreachable", status: 403 });
    expect(await refresh(`${base}/html`)).toMatchObject({ outcome: "unreachable", status: 502 });
    // Port 9 (discard): nothing listens there on these machines, so the connection is refused.
    expect(await refresh("http://127.0.0.1:9/token")).toMatchObject({ outcome: "unreachable", status: null });
    for (const answer of [await refresh(`${base}/503`), await refresh(`${base}/400`)]) expect(JSON.stringify(answer)).not.toContain("@");
  });
});
