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
export type TActor = TAdminActor | { kind: "platform" } | { kind: "member"; memberId: string | null } | { kind: "system"; job: string };

export type TActorKind = TActor["kind"];

export type TPlatformActor = Extract<TActor, { kind: "platform" }>;

export type TMemberActor = Extract<TActor, { kind: "member" }>;

export type TSystemActor = Extract<TActor, { kind: "system" }>;

export const PLATFORM_ACTOR = { kind: "platform" } as const satisfies TActor;

/**
 * The person holding a personal, status, "stop these emails" or /object link: a link command learns
 * from the token whom it is for, so an event it writes names the member the statement finds (none
 * for an address without an account).
 */
export const LINK_HOLDER = { kind: "member", memberId: null } as const satisfies TActor;

export const systemActor = (job: string) => ({ kind: "system", job }) as const satisfies TActor;

/** The columns an event records its actor in: never an email address, only a kind and an id or a job's name. */
export const actorColumns = (actor: TActor): { actorType: ActorType; actorId: string | null } => {
  if (actor.kind === "admin") return { actorType: "admin", actorId: actor.id };
  if (actor.kind === "member") return { actorType: "member", actorId: actor.memberId ?? "status-link" };
  if (actor.kind === "system") return { actorType: "system", actorId: actor.job };
  return { actorType: "platform", actorId: null };
};

const forbiddenFor = (actor: TActor, what: string) => new AppError("forbidden", { message: `This needs ${what}; it was asked for by the ${actor.kind}.` });

/**
 * Every `lib/` function that acts for an admin starts here: the role is checked on the server,
 * whatever the page showed. Any other kind of actor is refused, and the actor is an admin after it.
 */
export const assertRole: (actor: TActor, needed: TAdminRole) => asserts actor is TAdminActor = (actor, needed) => {
  if (actor.kind !== "admin") throw forbiddenFor(actor, `an admin with the ${needed} role`);
  if (!hasRole(actor, needed)) throw new AppError("forbidden", { message: `This needs the ${needed} role; you are a ${actor.role}.` });
};

/** For what both the platform (through the API) and an admin in the console may do: an admin needs `needed`. */
export const assertPlatformOrRole: (actor: TActor, needed: TAdminRole) => asserts actor is TPlatformActor | TAdminActor = (actor, needed) => {
  if (actor.kind === "platform") return;
  if (actor.kind !== "admin") throw forbiddenFor(actor, `the platform or an admin with the ${needed} role`);
  assertRole(actor, needed);
};

/** For what only the actor kinds named may do: the platform's own API calls, a job's rule, a member's link. */
export const assertActorKind: <TKind extends TActorKind>(actor: TActor, ...kinds: TKind[]) => asserts actor is Extract<TActor, { kind: TKind }> = (actor, ...kinds) => {
  if (!(kinds as TActorKind[]).includes(actor.kind)) throw forbiddenFor(actor, `the ${kinds.join(" or ")}`);
};
