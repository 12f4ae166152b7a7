import type { AdminRole } from "@/lib/generated/prisma/enums";

export const ADMIN_ROLES = ["viewer", "reviewer", "admin"] as const satisfies readonly AdminRole[];

export type TAdminRole = (typeof ADMIN_ROLES)[number];

/** The signed-in admin a `lib/` function acts for: the admin kind of `TActor` (lib/auth/actor.ts). */
export type TAdminActor = { kind: "admin"; id: string; role: TAdminRole };

const RANK: Record<TAdminRole, number> = { viewer: 0, reviewer: 1, admin: 2 };

/** Roles are ordered: a reviewer can do what a viewer can, an admin what a reviewer can. */
export const hasRole = (actor: Pick<TAdminActor, "role">, needed: TAdminRole) => RANK[actor.role] >= RANK[needed];

export const ROLE_LABELS: Record<TAdminRole, string> = { viewer: "Viewer", reviewer: "Reviewer", admin: "Admin" };

export const ROLE_DESCRIPTIONS: Record<TAdminRole, string> = {
  viewer: "Reads aggregates and lists, with personal data masked.",
  reviewer: "Acts on objections and reveals personal data.",
  admin: "Everything, plus campaigns, exports, invitations and roles.",
};
