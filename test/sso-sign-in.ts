import { expect } from "vitest";

import { handlers } from "@/lib/auth/auth";
import { signInAtProvider } from "@/test/oidc-browser";
import { TEST_ENV } from "@/test/test-env";

// A browser's single sign-on through Auth.js's own route handlers, against the test OpenID
// provider (test/oidc-provider.ts): the session it makes is a real one, with the provider's real
// refresh token sealed on it. Shared by the sign-in tests and the session check's.
export const SSO_AUTH_URL = `${TEST_ENV.APP_URL}/api/auth`;
export const SSO_REDIRECT_URI = `${SSO_AUTH_URL}/callback/oidc`;
export const SSO_CLIENT = { clientId: "objection-console", clientSecret: "a-client-secret-for-the-console-tests" };
export const SSO_ROLE_MAP = "privacy-admins=admin,privacy-reviewers=reviewer,privacy-viewers=viewer";

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((line) => line.split(";")[0]!);

/** The console's button (Auth.js's sign-in post), the provider's login, and back; returns where the console sent the browser, and its session cookie. */
export const signInBySso = async ({ issuer, login, tamper }: { issuer: string; login: string; tamper?: (callback: URL) => void }) => {
  const csrf = await handlers.GET(new Request(`${SSO_AUTH_URL}/csrf`) as never);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let cookies = cookiesOf(csrf);
  const start = await handlers.POST(
    new Request(`${SSO_AUTH_URL}/signin/oidc`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${TEST_ENV.APP_URL}/admin` }),
    }) as never,
  );
  expect(start.status).toBe(302);
  // A browser keeps the newest value of each cookie.
  cookies = [...new Map([...cookies, ...cookiesOf(start)].map((cookie) => [cookie.split("=")[0], cookie])).values()];
  const authorizationUrl = new URL(start.headers.get("location")!);
  expect(authorizationUrl.origin).toBe(issuer);
  expect(authorizationUrl.searchParams.get("redirect_uri")).toBe(SSO_REDIRECT_URI);
  expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorizationUrl.searchParams.get("nonce")).toBeTruthy();
  const callback = await signInAtProvider({ authorizationUrl, login, redirectUri: SSO_REDIRECT_URI });
  tamper?.(callback);
  const end = await handlers.GET(new Request(callback, { headers: { cookie: cookies.join("; "), "user-agent": "Mozilla/5.0 (test browser)" } }) as never);
  const session = cookiesOf(end).find((cookie) => cookie.startsWith("authjs.session-token="))?.split("=")[1];
  return { location: new URL(end.headers.get("location") ?? "", TEST_ENV.APP_URL).pathname, session };
};
