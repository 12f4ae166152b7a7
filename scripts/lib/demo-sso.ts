// The demo's single sign-on: a small OpenID provider (the test harness, test/oidc-provider.ts) with
// one user per console role, so a newcomer can try the console's "Sign in with …" button.
import { randomBytes } from "node:crypto";

import { startOidcProvider, type TOidcUser } from "../../test/oidc-provider";

const DEMO_SSO_NAME = "Demo SSO";

const user = (role: "admin" | "reviewer" | "viewer", name: string): TOidcUser => ({ sub: role, email: `${role}.sso@objection.localhost`, emailVerified: true, name, groups: [`demo-${role}s`] });

/** The logins the demo prints: what to type at the provider's form, and the role each gets. */
export const DEMO_SSO_USERS = [user("admin", "Ada Admin"), user("reviewer", "Rey Reviewer"), user("viewer", "Vic Viewer")];

/** Starts the provider on `port`; returns the app's ADMIN_OIDC_* for it and the lines the demo prints. */
export const startDemoSso = async ({ port, appUrl }: { port: number; appUrl: string }) => {
  const client = { clientId: "objection-demo", clientSecret: randomBytes(24).toString("base64url") };
  const provider = await startOidcProvider({ ...client, port, redirectUris: [`${appUrl}/api/auth/callback/oidc`], users: DEMO_SSO_USERS });
  const env = {
    ADMIN_OIDC_ISSUER: provider.issuer,
    ADMIN_OIDC_CLIENT_ID: client.clientId,
    ADMIN_OIDC_CLIENT_SECRET: client.clientSecret,
    ADMIN_OIDC_NAME: DEMO_SSO_NAME,
    ADMIN_OIDC_ROLE_MAP: DEMO_SSO_USERS.map(({ sub, groups }) => `${groups[0]}=${sub}`).join(","),
  };
  const printed = [
    `  Or press "Sign in with ${DEMO_SSO_NAME}" and type a login at the demo's OpenID provider (${provider.issuer}):`,
    ...DEMO_SSO_USERS.map(({ sub, groups }) => `    ${sub.padEnd(9)} → role ${sub} (group ${groups[0]})`),
  ].join("\n");
  return { env, printed, stopper: { name: "OpenID provider", stop: provider.stop } };
};
