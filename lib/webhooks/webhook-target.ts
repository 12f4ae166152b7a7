import "server-only";

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

import ipaddr from "ipaddr.js";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

/** Resolves a host name to its addresses: node's lookup (the system resolver), or a test's own. */
export type TResolveHost = (host: string) => Promise<string[]>;

const systemResolve: TResolveHost = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** Where a delivery connects: the URL, and the one address checked for it (the connection is pinned to it). */
export type TWebhookTarget = { url: URL; address: string; family: 4 | 6 };

// Ranges reachable only inside the deployment's own network: allowed with WEBHOOK_ALLOW_PRIVATE=1.
const PRIVATE_RANGES = new Set(["private", "loopback", "uniqueLocal", "carrierGradeNat"]);

const refused = (message: string) => new AppError("invalid", { message });

/** Why `address` may not be a target, or null when it may. Link-local (cloud metadata) is refused whatever the setting. */
const addressProblem = ({ address, allowPrivate }: { address: string; allowPrivate: boolean }) => {
  const range = ipaddr.process(address).range();
  if (range === "linkLocal") return `${address} is a link-local address (169.254.0.0/16, fe80::/10: cloud metadata), which is never a webhook target`;
  if (range === "unicast") return null;
  if (PRIVATE_RANGES.has(range)) return allowPrivate ? null : `${address} is a ${range} address: webhooks go to public addresses only (WEBHOOK_ALLOW_PRIVATE=1 allows private and loopback targets)`;
  return `${address} is a ${range} address, which is never a webhook target`;
};

/**
 * Checks a webhook URL and resolves its host, against server-side request forgery: https only, and
 * every address the host resolves to public. WEBHOOK_ALLOW_PRIVATE=1 (tests, closed networks) also
 * allows private and loopback addresses, over http too. Link-local addresses are refused always.
 * Run at creation, and again at each delivery, which then connects to the address returned here
 * (so a DNS answer that changes after the check cannot move the connection). AppError `invalid`
 * (422) says what is wrong.
 */
export const resolveWebhookTarget = async ({
  url: text,
  resolve = systemResolve,
  allowPrivate = env().WEBHOOK_ALLOW_PRIVATE === "1",
}: {
  url: string;
  resolve?: TResolveHost;
  allowPrivate?: boolean;
}): Promise<TWebhookTarget> => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused("url is not a URL: send an absolute https:// URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refused("url must start with https://.");
  if (url.username || url.password) throw refused("url must not hold a user name or password: authenticate deliveries by their signature.");
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw refused(`url's host ${host} does not resolve.`);
  }
  if (addresses.length === 0) throw refused(`url's host ${host} does not resolve.`);
  const problems = addresses.map((address) => addressProblem({ address, allowPrivate })).filter((problem) => problem !== null);
  if (problems[0]) throw refused(`url's host ${host} resolves to ${problems[0]}.`);
  // Checked after the addresses, so a link-local target is named as such whatever its scheme. http://
  // only ever reaches the closed network: a public address is spoken to over TLS.
  if (url.protocol === "http:" && (!allowPrivate || addresses.some((address) => ipaddr.process(address).range() === "unicast"))) throw refused("url must start with https://.");
  const address = addresses[0]!;
  return { url, address, family: isIP(address) === 6 ? 6 : 4 };
};
