import { hasRole, type TAdminRole } from "@/lib/auth/roles";

/** A claim's groups as providers send them: a list (Okta, Keycloak, Entra ID), or one name. Anything else holds none. */
const groupsOf = (value: unknown): string[] => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === "string");
  return [];
};

/** The highest role any of the user's groups maps to, or null: a user with no mapped group has no access. */
export const mappedRole = ({ claims, rolesClaim, roleMap }: { claims: Record<string, unknown>; rolesClaim: string; roleMap: ReadonlyMap<string, TAdminRole> }) =>
  groupsOf(claims[rolesClaim]).reduce<TAdminRole | null>((best, group) => {
    const role = roleMap.get(group);
    if (!role) return best;
    return best && hasRole({ role: best }, role) ? best : role;
  }, null);

/**
 * The role a single sign-on gives. With ADMIN_OIDC_ROLE_MAP set, the provider's groups alone decide,
 * at every sign-in: access is granted and removed centrally, and an invitation neither adds to it nor
 * keeps it. Without a map, the provider only proves who signs in, and the role is the invitation's
 * (or ADMIN_EMAILS'): no invitation, no access.
 */
export const ssoRole = ({ mapped, invited, roleMapSet }: { mapped: TAdminRole | null; invited: TAdminRole | null; roleMapSet: boolean }) => (roleMapSet ? mapped : invited);

/**
 * What the provider's claims make of a user, as a sign-in and the session check both decide it:
 * the role their groups map to (null without a map), and the role they get (null: no access).
 */
export const roleFromClaims = ({ claims, invited, rolesClaim, roleMap }: { claims: Record<string, unknown>; invited: TAdminRole | null; rolesClaim: string; roleMap: ReadonlyMap<string, TAdminRole> | undefined }) => {
  const mapped = roleMap ? mappedRole({ claims, rolesClaim, roleMap }) : null;
  return { mapped, role: ssoRole({ mapped, invited, roleMapSet: roleMap !== undefined }) };
};
