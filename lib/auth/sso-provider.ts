import "server-only";

import type { OIDCConfig } from "next-auth/providers";
import * as oauth from "oauth4webapi";

import { env } from "@/lib/env";

/** Auth.js's provider id: the redirect URI is `${APP_URL}/api/auth/callback/oidc`. */
export const SSO_PROVIDER_ID = "oidc";

/** What a single sign-on knows of the user: the provider's subject and the claims the console reads. */
export type TSsoProfile = { id: string; email: string | null; ssoEmailVerified: boolean; name: string | null; claims: Record<string, unknown> };

const asBoolean = (value: unknown) => value === true || value === "true";

/**
 * The ID token's claims, completed from userinfo where the token lacks the address, its
 * verification or the roles claim (providers differ in what they put in the token). userinfo's
 * `sub` must be the token's, as OpenID Connect Core 5.3.2 requires: oauth4webapi checks it.
 */
const claimsWithUserinfo = async ({ claims, accessToken }: { claims: Record<string, unknown>; accessToken: string | undefined }) => {
  const { ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID, ADMIN_OIDC_ROLES_CLAIM } = env();
  const complete = ["email", "email_verified", ADMIN_OIDC_ROLES_CLAIM].every((name) => name in claims);
  if (complete || !accessToken || !ADMIN_OIDC_ISSUER) return claims;
  const issuer = new URL(ADMIN_OIDC_ISSUER);
  const insecure = { [oauth.allowInsecureRequests]: issuer.protocol === "http:" };
  const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const client: oauth.Client = { client_id: ADMIN_OIDC_CLIENT_ID! };
  const userinfo = await oauth.processUserInfoResponse(server, client, String(claims.sub), await oauth.userInfoRequest(server, client, accessToken, insecure));
  return { ...userinfo, ...claims };
};

/**
 * What the console decides a single sign-on on. Built in the signIn callback, which Auth.js hands
 * the ID token's claims (and, for a returning user, the stored user rather than profile()'s).
 */
export const ssoProfile = async ({ subject, idTokenClaims, accessToken }: { subject: string; idTokenClaims: Record<string, unknown>; accessToken: string | undefined }): Promise<TSsoProfile> => {
  const claims = await claimsWithUserinfo({ claims: idTokenClaims, accessToken });
  return {
    id: subject,
    email: typeof claims.email === "string" ? claims.email : null,
    ssoEmailVerified: asBoolean(claims.email_verified),
    name: typeof claims.name === "string" ? claims.name : null,
    claims,
  };
};

/** The console's OpenID provider from ADMIN_OIDC_*, or null when single sign-on is not set up. */
export const ssoProvider = (): OIDCConfig<Record<string, unknown>> | null => {
  const { ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID, ADMIN_OIDC_CLIENT_SECRET, ADMIN_OIDC_NAME, ADMIN_OIDC_SCOPES } = env();
  if (!ADMIN_OIDC_ISSUER || !ADMIN_OIDC_CLIENT_ID || !ADMIN_OIDC_CLIENT_SECRET) return null;
  return {
    id: SSO_PROVIDER_ID,
    name: ADMIN_OIDC_NAME,
    type: "oidc",
    issuer: ADMIN_OIDC_ISSUER,
    clientId: ADMIN_OIDC_CLIENT_ID,
    clientSecret: ADMIN_OIDC_CLIENT_SECRET,
    // The standard's default, and Auth.js's: named so a provider's change of default changes nothing here.
    client: { token_endpoint_auth_method: "client_secret_basic" },
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: ADMIN_OIDC_SCOPES.join(" ") } },
    // The provider verified the address (the signIn callback refuses any it did not): an admin
    // invited by address, or who signed in by link before, is the same admin by single sign-on.
    allowDangerousEmailAccountLinking: true,
    profile: (claims) => ({ id: String(claims.sub), email: typeof claims.email === "string" ? claims.email : null, name: typeof claims.name === "string" ? claims.name : null }),
  };
};
