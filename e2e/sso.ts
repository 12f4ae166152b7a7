// The e2e stack's single sign-on: the OpenID provider the global setup starts (test/oidc-provider.ts)
// and the app's ADMIN_OIDC_* for it. Shared by the setup and the specs; imports no app code.
import { testControlPath, type TOidcUserPatch } from "../test/oidc-provider-control";
import type { TOidcUser } from "../test/oidc-provider";
import { E2E_PORTS, E2E_SSO_ONLY_PORTS } from "./ports";

export const E2E_SSO_NAME = "Example SSO";
export const E2E_OIDC_ISSUER = `http://127.0.0.1:${E2E_PORTS.oidc}`;
export const E2E_SSO_ONLY_APP_URL = `http://127.0.0.1:${E2E_SSO_ONLY_PORTS.app}`;

const CLIENT = { clientId: "objection-console-e2e", clientSecret: "e2e-client-secret-0123456789abcdef" };

const user = (sub: string, groups: string[], extra: Partial<TOidcUser> = {}): TOidcUser => ({ sub, email: `${sub}@staff.example.org`, emailVerified: true, name: sub, groups, ...extra });

/** One user per case; each spec's test signs in only as its own, so tests run in parallel. */
export const SSO_USERS = {
  admin: user("sso-admin", ["privacy-admins", "everyone"]),
  reviewer: user("sso-reviewer", ["privacy-reviewers"]),
  viewer: user("sso-viewer", ["privacy-viewers"]),
  outsider: user("sso-outsider", ["engineering", "everyone"]),
  mover: user("sso-mover", ["privacy-viewers"]),
  replayed: user("sso-replayed", ["privacy-admins"], { wrongNonce: true }),
} as const;

/** What the global setup passes to startOidcProvider. */
export const e2eOidcProviderOptions = (appUrl: string) => ({
  ...CLIENT,
  port: E2E_PORTS.oidc,
  // The e2e stack's app, and the one e2e/admin-sso-only.spec.ts starts with the emailed link off.
  redirectUris: [`${appUrl}/api/auth/callback/oidc`, `${E2E_SSO_ONLY_APP_URL}/api/auth/callback/oidc`],
  users: Object.values(SSO_USERS),
  testControl: true,
});

/** The app's settings for that provider; ADMIN_EMAIL_SIGN_IN stays at its default (1), so email links work as before. */
export const E2E_SSO_ENV = {
  ADMIN_OIDC_ISSUER: E2E_OIDC_ISSUER,
  ADMIN_OIDC_CLIENT_ID: CLIENT.clientId,
  ADMIN_OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  ADMIN_OIDC_NAME: E2E_SSO_NAME,
  ADMIN_OIDC_ROLE_MAP: "privacy-admins=admin,privacy-reviewers=reviewer,privacy-viewers=viewer",
};

/** Changes a user at the provider from a test worker: the harness runs in Playwright's main process. */
export const setSsoUser = async (sub: string, patch: TOidcUserPatch) => {
  const response = await fetch(`${E2E_OIDC_ISSUER}${testControlPath(sub)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) });
  if (response.status !== 204) throw new Error(`The OpenID provider refused the change of ${sub}: ${response.status}`);
};
