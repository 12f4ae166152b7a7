import "server-only";

import * as oauth from "oauth4webapi";

import { env } from "@/lib/env";
import { LOOPBACK_HOSTS } from "@/lib/env-admin-sign-in";

/**
 * The longest one request to the provider may take: a provider that hangs must not hold a sign-in
 * or the worker's session check for long (oauth4webapi sets no limit of its own).
 */
const PROVIDER_TIMEOUT_MS = 10_000;

/** The console's client at the OpenID provider, as oauth4webapi needs it for every request. */
export type TSsoServer = {
  server: oauth.AuthorizationServer;
  client: oauth.Client;
  /** client_secret_basic, as the sign-in's provider config names it (lib/auth/sso-provider.ts). */
  clientAuth: oauth.ClientAuth;
  options: { [oauth.allowInsecureRequests]: boolean; signal: () => AbortSignal };
};

/** The provider's metadata from ADMIN_OIDC_ISSUER's discovery document; http is allowed only for an issuer on loopback (tests, the demo). */
export const discoverSsoServer = async (): Promise<TSsoServer> => {
  const { ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID, ADMIN_OIDC_CLIENT_SECRET } = env();
  if (!ADMIN_OIDC_ISSUER || !ADMIN_OIDC_CLIENT_ID || !ADMIN_OIDC_CLIENT_SECRET) throw new Error("single sign-on is not set up (ADMIN_OIDC_ISSUER)");
  const issuer = new URL(ADMIN_OIDC_ISSUER);
  const options = { [oauth.allowInsecureRequests]: issuer.protocol === "http:" && LOOPBACK_HOSTS.has(issuer.hostname), signal: () => AbortSignal.timeout(PROVIDER_TIMEOUT_MS) };
  const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  return { server, client: { client_id: ADMIN_OIDC_CLIENT_ID }, clientAuth: oauth.ClientSecretBasic(ADMIN_OIDC_CLIENT_SECRET), options };
};

/**
 * The ID token's claims, completed from userinfo where the token lacks the address, its
 * verification or the roles claim (providers differ in what they put in the token). userinfo's
 * `sub` must be the token's, as OpenID Connect Core 5.3.2 requires: oauth4webapi checks it.
 * `discover` is only called when userinfo is needed.
 */
export const claimsWithUserinfo = async ({ claims, accessToken, discover }: { claims: Record<string, unknown>; accessToken: string | undefined; discover: () => Promise<TSsoServer> }) => {
  const complete = ["email", "email_verified", env().ADMIN_OIDC_ROLES_CLAIM].every((name) => name in claims);
  if (complete || !accessToken) return claims;
  const { server, client, options } = await discover();
  const userinfo = await oauth.processUserInfoResponse(server, client, String(claims.sub), await oauth.userInfoRequest(server, client, accessToken, options));
  return { ...userinfo, ...claims };
};
