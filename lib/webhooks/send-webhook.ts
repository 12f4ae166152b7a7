import "server-only";

import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

import { Webhook } from "standardwebhooks";

import type { TWebhookTarget } from "@/lib/webhooks/webhook-target";

export type TWebhookMessage = { id: string; body: string; secrets: string[] };
export type TSendOutcome = { ok: boolean; code: number | null; latencyMs: number; error: string | null };

/** Standard Webhooks' headers: one `v1,<base64>` signature per secret, space-separated (the old secret's too, during a rotation). */
export const webhookHeaders = ({ id, body, secrets, at = new Date() }: TWebhookMessage & { at?: Date }) => ({
  "webhook-id": id,
  "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
  "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(" "),
});

/** A lookup that answers the address checked before (lib/webhooks/webhook-target.ts), whatever DNS says now. */
const pinnedLookup =
  ({ address, family }: TWebhookTarget): LookupFunction =>
  (_host, options, callback) => {
    if (options.all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };

const globalForAgents = globalThis as unknown as { webhookAgents?: Map<string, { address: string; agent: http.Agent }> };

/**
 * The endpoint's keep-alive connections, to its checked address: one TLS handshake serves many
 * deliveries. A new address (DNS changed, checked again) gets new connections; the old ones close.
 * At most one agent per endpoint, and its sockets bounded by WEBHOOK_ENDPOINT_CONCURRENCY.
 */
const agentFor = ({ endpointId, target, maxSockets }: { endpointId: string; target: TWebhookTarget; maxSockets: number }) => {
  const agents = (globalForAgents.webhookAgents ??= new Map());
  const key = `${endpointId}|${target.url.protocol}|${target.url.host}`;
  const known = agents.get(key);
  if (known?.address === target.address) return known.agent;
  known?.agent.destroy();
  const options = { keepAlive: true, maxSockets, lookup: pinnedLookup(target) };
  const agent = target.url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
  agents.set(key, { address: target.address, agent });
  return agent;
};

/** Closes every endpoint's idle connections (the worker's shutdown, a test's end). */
export const closeWebhookAgents = () => {
  for (const { agent } of globalForAgents.webhookAgents?.values() ?? []) agent.destroy();
  globalForAgents.webhookAgents = undefined;
};

/**
 * POSTs one signed message to its target, connecting to the pinned address (TLS still checks the
 * host's certificate). A 2xx answer acknowledges; anything else, an error, or no answer within
 * timeoutMs (WEBHOOK_TIMEOUT_SECONDS) fails. Never throws.
 */
export const sendWebhook = ({ endpointId, target, message, maxSockets, timeoutMs }: { endpointId: string; target: TWebhookTarget; message: TWebhookMessage; maxSockets: number; timeoutMs: number }) =>
  new Promise<TSendOutcome>((resolve) => {
    const started = performance.now();
    const done = (outcome: Omit<TSendOutcome, "latencyMs">) => resolve({ ...outcome, latencyMs: Math.round(performance.now() - started) });
    const client = target.url.protocol === "https:" ? https : http;
    // One deadline for the whole exchange (connecting, sending, the answer); the console shows why it ended.
    const deadline = AbortSignal.timeout(timeoutMs);
    const noAnswer = `no answer within ${timeoutMs / 1000} s`;
    const request = client.request(target.url, {
      method: "POST",
      lookup: pinnedLookup(target),
      agent: agentFor({ endpointId, target, maxSockets }),
      signal: deadline,
      headers: { "content-type": "application/json", "user-agent": "objection-webhooks", ...webhookHeaders(message) },
    });
    request.on("response", (response) => {
      const code = response.statusCode ?? 0;
      // Read and dropped: the answer's body means nothing, but the socket must be drained to close.
      response.resume();
      response.on("end", () => done({ ok: code >= 200 && code < 300, code, error: code >= 200 && code < 300 ? null : `HTTP ${code}` }));
      response.on("error", (error) => done({ ok: false, code, error: deadline.aborted ? noAnswer : error.message }));
    });
    request.on("error", (error) => done({ ok: false, code: null, error: deadline.aborted ? noAnswer : error.message }));
    request.end(message.body);
  });
