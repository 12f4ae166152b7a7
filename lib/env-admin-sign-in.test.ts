import { describe, expect, it } from "vitest";

import { parseEnv } from "@/lib/env";
import { envErrorFor, VALID_ENV } from "@/test/valid-env";

const SSO = {
  ADMIN_OIDC_ISSUER: "https://login.example.com/realms/staff/",
  ADMIN_OIDC_CLIENT_ID: "objection-console",
  ADMIN_OIDC_CLIENT_SECRET: "a-client-secret",
};


describe("single sign-on settings", () => {
  it("are off by default: the emailed link signs in, with the documented defaults", () => {
    const env = parseEnv(VALID_ENV);
    expect(env.ADMIN_OIDC_ISSUER).toBeUndefined();
    expect(env.ADMIN_EMAIL_SIGN_IN).toBe("1");
    expect(env.ADMIN_OIDC_NAME).toBe("single sign-on");
    expect(env.ADMIN_OIDC_SCOPES).toEqual(["openid", "email", "profile", "groups"]);
    expect(env.ADMIN_OIDC_ROLES_CLAIM).toBe("groups");
    expect(env.ADMIN_OIDC_ROLE_MAP).toBeUndefined();
    expect(env.ADMIN_SSO_RECHECK_MINUTES).toBe(60);
  });

  it("read the provider, the role map and the scopes as given; the issuer loses its trailing slash", () => {
    const env = parseEnv({ ...VALID_ENV, ...SSO, ADMIN_OIDC_SCOPES: " openid  email groups ", ADMIN_OIDC_ROLE_MAP: "privacy-admins=admin, /staff/privacy reviewers = reviewer", ADMIN_EMAIL_SIGN_IN: "0" });
    expect(env.ADMIN_OIDC_ISSUER).toBe("https://login.example.com/realms/staff");
    expect(env.ADMIN_OIDC_SCOPES).toEqual(["openid", "email", "groups"]);
    expect([...env.ADMIN_OIDC_ROLE_MAP!]).toEqual([
      ["privacy-admins", "admin"],
      ["/staff/privacy reviewers", "reviewer"],
    ]);
    expect(env.ADMIN_EMAIL_SIGN_IN).toBe("0");
  });

  it("take an http issuer only on this machine's loopback", () => {
    expect(parseEnv({ ...VALID_ENV, ...SSO, ADMIN_OIDC_ISSUER: "http://127.0.0.1:4500" }).ADMIN_OIDC_ISSUER).toBe("http://127.0.0.1:4500");
    expect(envErrorFor({ ...VALID_ENV, ...SSO, ADMIN_OIDC_ISSUER: "http://login.example.com" })).toContain("ADMIN_OIDC_ISSUER must be an https:// URL");
    expect(envErrorFor({ ...VALID_ENV, ...SSO, ADMIN_OIDC_ISSUER: "login.example.com" })).toContain("ADMIN_OIDC_ISSUER must be an https:// URL");
  });

  it("need the issuer, the client id and its secret together", () => {
    for (const missing of Object.keys(SSO)) {
      const source = { ...VALID_ENV, ...SSO, [missing]: undefined };
      expect(envErrorFor(source)).toContain("ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID and ADMIN_OIDC_CLIENT_SECRET must be set together");
    }
  });

  it("refuse to turn the emailed link off when there is no other way in", () => {
    expect(envErrorFor({ ...VALID_ENV, ADMIN_EMAIL_SIGN_IN: "0" })).toContain("ADMIN_EMAIL_SIGN_IN=0 turns off the only way in");
    expect(envErrorFor({ ...VALID_ENV, ADMIN_EMAIL_SIGN_IN: "no" })).toContain("ADMIN_EMAIL_SIGN_IN must be 1 or 0");
  });

  it("name the variable and the entry at fault in a bad role map, and never echo the client secret", () => {
    const bad = (map: string) => envErrorFor({ ...VALID_ENV, ...SSO, ADMIN_OIDC_ROLE_MAP: map });
    expect(bad("privacy-admins")).toContain("ADMIN_OIDC_ROLE_MAP must be group=role pairs");
    expect(bad("=admin")).toContain("ADMIN_OIDC_ROLE_MAP must be group=role pairs");
    expect(bad("privacy-admins=owner")).toContain('ADMIN_OIDC_ROLE_MAP: the role of "privacy-admins" must be viewer, reviewer or admin');
    expect(bad("a=admin,a=viewer")).toContain('ADMIN_OIDC_ROLE_MAP names "a" twice');
    expect(bad("privacy-admins=owner")).not.toContain(SSO.ADMIN_OIDC_CLIENT_SECRET);
  });

  it("need openid and email among the scopes, a claim's name, a label of one line, and a positive recheck", () => {
    expect(envErrorFor({ ...VALID_ENV, ...SSO, ADMIN_OIDC_SCOPES: "profile groups" })).toContain("ADMIN_OIDC_SCOPES must include openid and email");
    expect(envErrorFor({ ...VALID_ENV, ...SSO, ADMIN_OIDC_ROLES_CLAIM: "my groups" })).toContain("ADMIN_OIDC_ROLES_CLAIM must be a claim's name");
    expect(envErrorFor({ ...VALID_ENV, ...SSO, ADMIN_OIDC_NAME: "Okta\nEvil" })).toContain("ADMIN_OIDC_NAME must be one line");
    expect(envErrorFor({ ...VALID_ENV, ...SSO, ADMIN_SSO_RECHECK_MINUTES: "0" })).toContain("ADMIN_SSO_RECHECK_MINUTES must be positive");
  });
});
