import "server-only";

import { z } from "zod";

import { positiveInt } from "@/lib/env-fields";
import { ADMIN_ROLES, type TAdminRole } from "@/lib/auth/roles";
import { hasControlCharacter } from "@/lib/validation/text";

// How staff sign in to the console: the company's OpenID provider (ADMIN_OIDC_*), the emailed link,
// or both. lib/env.ts spreads these fields into its schema and runs the check below.

export const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An issuer is https, as OpenID Connect Discovery requires; http only on this machine's own loopback (tests, the demo). */
const issuer = z
  .string()
  .refine((value) => URL.canParse(value) && (new URL(value).protocol === "https:" || (new URL(value).protocol === "http:" && LOOPBACK_HOSTS.has(new URL(value).hostname))), {
    error: "ADMIN_OIDC_ISSUER must be an https:// URL (http:// only on 127.0.0.1 or localhost), e.g. https://login.example.com/realms/staff",
  })
  .transform((value) => value.replace(/\/+$/, ""))
  .optional();

const oneLine = (name: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: `${name} must not be blank` })
    .max(max, { error: `${name} must be at most ${max} characters` })
    .refine((value) => !hasControlCharacter(value), { error: `${name} must be one line without control characters` });

const ROLE_MAP_FORMAT = "ADMIN_OIDC_ROLE_MAP must be group=role pairs separated by commas, e.g. privacy-admins=admin,privacy-reviewers=reviewer,privacy-viewers=viewer";

/**
 * `privacy-admins=admin,privacy-reviewers=reviewer`: the provider's group names (or ids) and the
 * console role each grants. A group's name is what the provider puts in the roles claim, taken
 * whole: it may hold slashes or spaces (Keycloak's `/staff/privacy`), not a comma. Group names are
 * not secrets, so a message may name the one at fault.
 */
const roleMap = z
  .string()
  .optional()
  .transform((value, context): ReadonlyMap<string, TAdminRole> | undefined => {
    if (value === undefined) return undefined;
    const roles = new Map<string, TAdminRole>();
    for (const entry of value.split(",")) {
      const split = entry.lastIndexOf("=");
      const group = entry.slice(0, split).trim();
      const role = entry.slice(split + 1).trim();
      const message =
        split < 0 || group === ""
          ? ROLE_MAP_FORMAT
          : !(ADMIN_ROLES as readonly string[]).includes(role)
            ? `ADMIN_OIDC_ROLE_MAP: the role of "${group}" must be viewer, reviewer or admin`
            : roles.has(group)
              ? `ADMIN_OIDC_ROLE_MAP names "${group}" twice`
              : null;
      if (message) {
        context.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      roles.set(group, role as TAdminRole);
    }
    return roles;
  });

export const ADMIN_SIGN_IN_FIELDS = {
  ADMIN_OIDC_ISSUER: issuer,
  ADMIN_OIDC_CLIENT_ID: oneLine("ADMIN_OIDC_CLIENT_ID", 255).optional(),
  ADMIN_OIDC_CLIENT_SECRET: z.string().min(1, { error: "ADMIN_OIDC_CLIENT_SECRET must not be blank" }).optional(),
  /** The sign-in button says "Sign in with <this>". */
  ADMIN_OIDC_NAME: oneLine("ADMIN_OIDC_NAME", 40).default("single sign-on"),
  ADMIN_OIDC_SCOPES: z
    .string()
    .default("openid email profile groups")
    .transform((value) => value.trim().split(/\s+/))
    .refine((scopes) => scopes.includes("openid") && scopes.includes("email"), { error: "ADMIN_OIDC_SCOPES must include openid and email, separated by spaces" }),
  ADMIN_OIDC_ROLES_CLAIM: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_:./-]{1,100}$/, { error: "ADMIN_OIDC_ROLES_CLAIM must be a claim's name, e.g. groups or roles" })
    .default("groups"),
  ADMIN_OIDC_ROLE_MAP: roleMap,
  ADMIN_EMAIL_SIGN_IN: z.enum(["0", "1"], { error: "ADMIN_EMAIL_SIGN_IN must be 1 or 0" }).default("1"),
  ADMIN_SSO_RECHECK_MINUTES: positiveInt("ADMIN_SSO_RECHECK_MINUTES", 60),
};

type TAdminSignInInput = {
  ADMIN_OIDC_ISSUER?: string;
  ADMIN_OIDC_CLIENT_ID?: string;
  ADMIN_OIDC_CLIENT_SECRET?: string;
  ADMIN_EMAIL_SIGN_IN: "0" | "1";
};

/**
 * The provider's three settings come together or not at all; without them the emailed link is the
 * only way in, so it cannot be turned off. Run by lib/env.ts when no ADMIN_ variable is itself malformed.
 */
export const checkAdminSignIn = (values: TAdminSignInInput, context: z.RefinementCtx) => {
  const set = [values.ADMIN_OIDC_ISSUER, values.ADMIN_OIDC_CLIENT_ID, values.ADMIN_OIDC_CLIENT_SECRET].filter((value) => value !== undefined).length;
  if (set !== 0 && set !== 3)
    context.addIssue({ code: "custom", path: ["ADMIN_OIDC_ISSUER"], message: "ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID and ADMIN_OIDC_CLIENT_SECRET must be set together, or none of them" });
  else if (set === 0 && values.ADMIN_EMAIL_SIGN_IN === "0")
    context.addIssue({ code: "custom", path: ["ADMIN_EMAIL_SIGN_IN"], message: "ADMIN_EMAIL_SIGN_IN=0 turns off the only way in: set ADMIN_OIDC_ISSUER, ADMIN_OIDC_CLIENT_ID and ADMIN_OIDC_CLIENT_SECRET too" });
};

export const isAdminSignInIssue = (issue: { path?: readonly PropertyKey[] }) => /^ADMIN_(OIDC_|EMAIL_SIGN_IN$)/.test(String(issue.path?.[0] ?? ""));
