import "server-only";

import type { OIDCConfig } from "next-auth/providers";

import { claimsWithUserinfo, discoverSsoServer } from "@/lib/auth/sso-oauth";
import { env } from "@/lib/env";

/** Auth.js's provider id: the redirect URI is `${APP_URL}/api/auth/callback/oidc`. */
export const SSO_PROVIDER_ID = "oidc";

/** What a single sign-on knows of the user: the provider's subject and the claims the console reads. */
export type TSsoProfile = { id: string; email: string | null; ssoEmailVerified: boolean; name: string | null; claims: Record<string, unknown> };

const asBoolean = (value: unknown) => value === true || value === "true";

const asText = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * What the console decides a single sign-on on. Built in the signIn callback, which Auth.js hands
 * the ID token's claims (and, for a returning user, the stored user rather than profile()'s).
 */
export const ssoProfile = async ({ subject, idTokenClaims, accessToken }: { subject: string; idTokenClaims: Record<string, unknown>; accessToken: string | undefined }): Promise<TSsoProfile> => {
  const claims = await claimsWithUserinfo({ claims: idTokenClaims, accessToken, discover: discoverSsoServer });
  return {
    id: subject,
    email: asText(claims.email),
    ssoEmailVerified: asBoolean(claims.email_verified),
    name: asText(claims.name),
    claims,
  };
};

/** The console's OpenID provider from ADMIN_OIDC_*, or null when single sign-on is not set up. */
export const ssoProvider = (): OIDCConfig<Record<string, unknown>> | null => {
  const { ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID, ADMIN_OIDC_CLIENT_SECRET, ADMIN_OIDC_NAME, ADMIN_OIDC_SCOPES, APP_URL } = env();
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
    // The token request's redirect_uri from APP_URL, as the authorization request's is. Auth.js
    // otherwise builds it from the callback's URL, which Next (NextURL) turns from 127.0.0.1 into
    // `localhost`: the two differ and the provider refuses the code (invalid_grant). At APP_URL's own
    // origin, which every request but such a loopback one has, Auth.js treats this as no proxy at all.
    redirectProxyUrl: `${APP_URL}/api/auth`,
    authorization: { params: { scope: ADMIN_OIDC_SCOPES.join(" ") } },
    // The provider verified the address (the signIn callback refuses any it did not): an admin
    // invited by address, or who signed in by link before, is the same admin by single sign-on.
    allowDangerousEmailAccountLinking: true,
    profile: (claims) => ({ id: String(claims.sub), email: asText(claims.email), name: asText(claims.name) }),
  };
};
