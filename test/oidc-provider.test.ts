import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signInAtProvider as signInThrough } from "./oidc-browser";
import { startOidcProvider, type TOidcProvider } from "./oidc-provider";

const signInAtProvider = (url: URL, login: string) => signInThrough({ authorizationUrl: url, login, redirectUri: REDIRECT_URI });

const CLIENT_ID = "admin-console";
const CLIENT_SECRET = "test-secret-for-the-admin-console";
const REDIRECT_URI = "http://127.0.0.1:3999/api/auth/callback/oidc";
const ALICE = { sub: "alice", email: "alice@example.org", emailVerified: true, name: "Alice Admin", groups: ["objection-admins"] };
// The test speaks plain HTTP to 127.0.0.1, which oauth4webapi refuses unless told.
const insecure = { [oauth.allowInsecureRequests]: true };

let op: TOidcProvider;
let as: oauth.AuthorizationServer;
const client: oauth.Client = { client_id: CLIENT_ID };

beforeAll(async () => {
  op = await startOidcProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], users: [ALICE] });
  const issuer = new URL(op.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
});

afterAll(() => op?.stop());

/** Starts an authorization request as Auth.js does (PKCE, state, nonce) and signs in at the OP; returns the callback's parameters. */
const authorize = async (login: string) => {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email profile groups",
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  }).toString();
  const callbackUrl = await signInAtProvider(url, login);
  const params = oauth.validateAuthResponse(as, client, callbackUrl, state);
  return { params, codeVerifier, nonce };
};

const exchangeCode = async ({ params, codeVerifier, nonce }: Awaited<ReturnType<typeof authorize>>, secret = CLIENT_SECRET) =>
  oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(secret), params, REDIRECT_URI, codeVerifier, insecure),
    { expectedNonce: nonce, requireIdToken: true },
  );

const userinfo = async (accessToken: string) =>
  oauth.processUserInfoResponse(as, client, ALICE.sub, await oauth.userInfoRequest(as, client, accessToken, insecure));

describe("the test OpenID provider (oidc-provider 9)", () => {
  it("publishes discovery for a code flow with PKCE, client_secret_basic and the groups scope", () => {
    expect(as.issuer).toBe(op.issuer);
    expect(as.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(as.code_challenge_methods_supported).toContain("S256");
    expect(as.token_endpoint_auth_methods_supported).toContain("client_secret_basic");
    expect(as.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "groups", "offline_access"]));
    expect(as.claims_supported).toEqual(expect.arrayContaining(["email", "email_verified", "name", "groups"]));
  });

  it("signs a user in, puts email and groups in the ID token and userinfo, and shows a group change at refresh", async () => {
    const tokens = await exchangeCode(await authorize(ALICE.sub));
    const idToken = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(idToken).toMatchObject({ iss: op.issuer, aud: CLIENT_ID, sub: "alice", email: ALICE.email, email_verified: true, name: ALICE.name, groups: ["objection-admins"] });
    expect(tokens.refresh_token).toBeTruthy();
    expect(await userinfo(tokens.access_token)).toMatchObject({ sub: "alice", email: ALICE.email, groups: ["objection-admins"] });

    op.setUser("alice", { groups: ["staff"], email: "alice@staff.example.org" });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretBasic(CLIENT_SECRET), tokens.refresh_token!, insecure),
    );
    expect(oauth.getValidatedIdTokenClaims(refreshed)).toMatchObject({ sub: "alice", email: "alice@staff.example.org", groups: ["staff"] });
    expect(await userinfo(refreshed.access_token)).toMatchObject({ sub: "alice", email: "alice@staff.example.org", groups: ["staff"] });
    // The earlier access token is still valid, and userinfo reads the user afresh.
    expect(await userinfo(tokens.access_token)).toMatchObject({ groups: ["staff"] });

    // And the next sign-in carries the new groups too.
    const again = oauth.getValidatedIdTokenClaims(await exchangeCode(await authorize(ALICE.sub)));
    expect(again).toMatchObject({ sub: "alice", groups: ["staff"] });
  });

  it("refuses a wrong client secret at the token endpoint, and the code still works with the right one", async () => {
    const authorization = await authorize(ALICE.sub);
    const refused = await exchangeCode(authorization, "not-the-secret").then(
      () => undefined,
      (error: unknown) => error,
    );
    // oidc-provider answers 401 with a WWW-Authenticate challenge, which oauth4webapi (and so
    // Auth.js) raises as a WWWAuthenticateChallengeError, not as a ResponseBodyError.
    expect(refused).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect(refused).toMatchObject({ status: 401, cause: [{ scheme: "basic", parameters: { error: "invalid_client" } }] });
    await expect(exchangeCode(authorization)).resolves.toMatchObject({ token_type: expect.stringMatching(/^bearer$/i) });
  });

  it("refuses an authorization request without PKCE", async () => {
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: "code", scope: "openid", state: "s" }).toString();
    const response = await fetch(url, { redirect: "manual" });
    const back = new URL(response.headers.get("location")!);
    expect(back.href.startsWith(REDIRECT_URI)).toBe(true);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("error_description")).toMatch(/PKCE/);
  });

  it("shows the login form again for an unknown login", async () => {
    await expect(authorize("mallory")).rejects.toThrow(/login form says: No user &#34;mallory&#34;/);
  });
});
