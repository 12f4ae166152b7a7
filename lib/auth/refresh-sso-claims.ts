import "server-only";

import * as oauth from "oauth4webapi";

import { claimsWithUserinfo, type TSsoServer } from "@/lib/auth/sso-oauth";

/**
 * What the provider says of a session now:
 * - current: the user's claims (the new ID token's, completed from userinfo), and the refresh
 *   token to keep (the provider may rotate it);
 * - refused: the provider answered and refused the grant (invalid_grant: revoked, expired, the
 *   user removed; or the client refused): the session cannot go on;
 * - unreachable: no answer, a timeout, a 5xx, or an answer that is not OAuth's: nothing is known
 *   about the user, so nothing is decided.
 */
export type TSsoClaims =
  | { outcome: "current"; claims: Record<string, unknown>; refreshToken: string }
  | { outcome: "refused"; error: string; status: number }
  | { outcome: "subject_changed" }
  | { outcome: "unreachable"; error: string; status: number | null };

/** An OAuth error answer (a JSON `error`, or a WWW-Authenticate challenge) with a 4xx status is a refusal; anything else says nothing. */
const classify = (error: unknown): TSsoClaims => {
  if (error instanceof oauth.ResponseBodyError && error.status < 500) return { outcome: "refused", error: error.error, status: error.status };
  if (error instanceof oauth.WWWAuthenticateChallengeError && error.status < 500) return { outcome: "refused", error: error.cause[0]?.parameters.error ?? error.cause[0]?.scheme ?? "challenge", status: error.status };
  const status = error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError ? error.status : error instanceof oauth.OperationProcessingError && error.cause instanceof Response ? error.cause.status : null;
  // Names and codes only: a provider's error_description is free text.
  const code = error instanceof Error ? ((error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code ?? error.name) : "unknown";
  return { outcome: "unreachable", error: String(code), status };
};

/**
 * A refresh_token grant at the provider (client_secret_basic), then the claims the console decides
 * on. A provider that returns no ID token on refresh (some do not) is asked at userinfo with the
 * new access token; one whose ID token names another subject has broken the session's link.
 */
export const refreshSsoClaims = async ({ provider, refreshToken, subject }: { provider: TSsoServer; refreshToken: string; subject: string }): Promise<TSsoClaims> => {
  const { server, client, clientAuth, options } = provider;
  try {
    const response = await oauth.processRefreshTokenResponse(server, client, await oauth.refreshTokenGrantRequest(server, client, clientAuth, refreshToken, options));
    const idToken = oauth.getValidatedIdTokenClaims(response);
    if (idToken && idToken.sub !== subject) return { outcome: "subject_changed" };
    const claims = await claimsWithUserinfo({ claims: { ...idToken, sub: subject }, accessToken: response.access_token, discover: async () => provider });
    return { outcome: "current", claims, refreshToken: response.refresh_token ?? refreshToken };
  } catch (error) {
    return classify(error);
  }
};
