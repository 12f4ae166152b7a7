import { hasRole, type TAdminActor, type TAdminRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors/app-error";
import type { ActorType } from "@/lib/generated/prisma/enums";

/**
 * Who a command acts for. Every `lib/` command that changes state takes one, checks what that
 * actor may do, and records it on the audit or objection event it writes in the same transaction.
 * - admin: a signed-in member of staff, with the role the database holds now;
 * - platform: the platform's servers, through the bearer-token API (the token is the check);
 * - member: the person behind a personal or status link; `memberId` is null for the holder of a
 *   status link whose objection no account is matched to yet;
 * - system: a job acting by a rule, named by its queue.
 */
export type TActor =
  | { kind: "admin"; id: string; role: TAdminRole }
  | { kind: "platform" }
  | { kind: "member"; memberId: string | null }
  | { kind: "system"; job: string };

export type TActorKind = TActor["kind"];

export const PLATFORM_ACTOR = { kind: "platform" } as const satisfies TActor;

export const systemActor = (job: string) => ({ kind: "system", job }) as const satisfies TActor;

/** The columns an event records its actor in: never an email address, only a kind and an id or a job's name. */
export const actorColumns = (actor: TActor): { actorType: ActorType; actorId: string | null } => {
  if (actor.kind === "admin") return { actorType: "admin", actorId: actor.id };
  if (actor.kind === "member") return { actorType: "member", actorId: actor.memberId ?? "status-link" };
  if (actor.kind === "system") return { actorType: "system", actorId: actor.job };
  return { actorType: "platform", actorId: null };
};

/** Every `lib/` function that acts for an admin starts here: the role is checked on the server, whatever the page showed. */
export const assertRole = (actor: TAdminActor, needed: TAdminRole) => {
  if (!hasRole(actor, needed)) throw new AppError("forbidden", { message: `This needs the ${needed} role; you are a ${actor.role}.` });
};
