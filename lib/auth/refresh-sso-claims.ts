import "server-only";

import * as oauth from "oauth4webapi";

import { claimsWithUserinfo, type TSsoServer } from "@/lib/auth/sso-oauth";

/**
 * What the provider says of a session now:
 * - current: the user's claims (the new ID token's, completed from userinfo), and the refresh
 *   token to keep (the provider may rotate it);
 * - refused: the provider answered and refused the grant (invalid_grant: revoked, expired, the
 *   user removed; or the client refused): the session cannot go on;
 * - subject_changed: the new ID token names another user than the session's;
 * - unreachable: no answer, a timeout, a 5xx, or an answer that is not OAuth's: nothing is known
 *   about the user, so nothing is decided.
 */
export type TSsoClaims =
  | { outcome: "current"; claims: Record<string, unknown>; refreshToken: string }
  | { outcome: "refused"; error: string; status: number }
  | { outcome: "subject_changed" }
  | { outcome: "unreachable"; error: string; status: number | null };

/** Error codes that say "not now" rather than "no": a provider may send them with a 400. */
const TRANSIENT_ERRORS = new Set(["temporarily_unavailable", "server_error", "slow_down"]);

/** The HTTP status of a failed request, when there was an answer at all. */
const statusOf = (error: unknown) => {
  if (error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError) return error.status;
  return error instanceof oauth.OperationProcessingError && error.cause instanceof Response ? error.cause.status : null;
};

/** The OAuth error code of an answer that has one: a JSON `error`, or a WWW-Authenticate challenge's. */
const oauthErrorOf = (error: unknown) => {
  if (error instanceof oauth.ResponseBodyError) return error.error;
  if (error instanceof oauth.WWWAuthenticateChallengeError) return error.cause[0]?.parameters.error ?? error.cause[0]?.scheme ?? "challenge";
  return null;
};

/**
 * The token endpoint's refusals are 400 (invalid_grant, …) and 401 (invalid_client): only those
 * end a session. Anything else (429, a 5xx, a proxy's page, no answer) says nothing about the user.
 */
const classify = (error: unknown): TSsoClaims => {
  const status = statusOf(error);
  const oauthError = oauthErrorOf(error);
  if (oauthError && (status === 400 || status === 401) && !TRANSIENT_ERRORS.has(oauthError)) return { outcome: "refused", error: oauthError, status };
  // Names and codes only: a provider's error_description is free text.
  const code = oauthError ?? (error instanceof Error ? ((error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code ?? error.name) : "unknown");
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
