import "server-only";

import ipaddr from "ipaddr.js";

/** The part of an IPv6 address that names a network: a home, a phone or a server is given a whole /64. */
const IPV6_NETWORK_PARTS = 4;

/**
 * What a per-visitor limit counts by: an IPv4 address as it is, an IPv6 address by its /64
 * (one host can pick any of 2^64 addresses in it), an IPv4-mapped IPv6 address as its IPv4
 * address. A value that is no address (a proxy that writes `unknown`) stays as it is.
 */
export const visitorBucket = (ip: string | null): string | null => {
  if (ip === null || !ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, IPV6_NETWORK_PARTS);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
};
