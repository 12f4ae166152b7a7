import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { systemActorWords } from "@/lib/audit/actor-words";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { hasRole } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import type { ActorType, ObjectionEventType, ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";
import { consoleEmail } from "@/lib/admins/masking";
import { objectionReference } from "@/lib/objections/objection-reference";
import { rejectionEmailPreview, type TRejectionEmailPreview } from "@/lib/objections/admin/rejection-email-preview";
import { ZObjectionId } from "@/lib/objections/admin/schema";
import { timelineEventLabel } from "@/lib/objections/admin/timeline-words";
import { matchedInConsole } from "@/lib/objections/admin/unmatch-objection";

export type TGetObjectionDetail = { actor: TActor; objectionId: string };

export type TTimelineEvent = {
  id: string;
  type: ObjectionEventType;
  /** What happened, in words: "Objected by email link", "Receipt sent". */
  label: string;
  actorType: ActorType;
  /** "The member", an admin's address (reviewers and up) or "An admin" (viewers), or what the system's job does ("Automatic receipt email"). */
  actorLabel: string;
  createdAt: Date;
  /** Written by staff (a note, a rejection's reason) or the system; never the person's address. */
  text: string | null;
};

export type TRelatedObjection = { id: string; reference: string; status: ObjectionStatus; source: ObjectionSource; country: string; effectiveAt: Date; matched: boolean };

export type TObjectionDetail = {
  id: string;
  reference: string;
  maskedEmail: string;
  hasReason: boolean;
  matched: boolean;
  /** The matched member (lib/admins/masking.ts: the external id is shown as it is). */
  member: { id: string; externalId: string } | null;
  country: string;
  source: ObjectionSource;
  status: ObjectionStatus;
  effectiveAt: Date;
  withdrawnAt: Date | null;
  spamAt: Date | null;
  rejectedAt: Date | null;
  createdAt: Date;
  /** A rejection waiting for its second reviewer (or the one that was approved). */
  rejection: { reason: string; requestedById: string; requestedByLabel: string; requestedAt: Date } | null;
  timeline: TTimelineEvent[];
  related: TRelatedObjection[];
  /** The rejection email's language and fixed text, for the reviewer writing its reason. */
  rejectionEmail: TRejectionEmailPreview;
  /** What the page may offer this admin; the lib functions check again on every action. */
  can: { act: boolean; reveal: boolean; match: boolean; unmatch: boolean; requestRejection: boolean; approveRejection: boolean; cancelRejection: boolean; markSpam: boolean };
};

export const STAFF_TEXT_HIDDEN = "Hidden: reviewers and admins can read it.";

const STAFF_WRITTEN = new Set<ObjectionEventType>(["note_added", "rejection_requested"]);
/** A match's text names the member for everyone; its reason, written by staff, only for reviewers. */
const MATCH_EVENTS = new Set<ObjectionEventType>(["matched", "unmatched"]);

const LIST_LIMIT = 100;

const eventText = (type: ObjectionEventType, detail: unknown): string | null => {
  const values = (detail ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof values[key] === "string" ? (values[key] as string) : null);
  switch (type) {
    case "note_added":
      return text("note");
    case "rejection_requested":
      return text("reason");
    case "receipt_failed":
      return text("reason");
    case "matched":
    case "unmatched":
      return text("memberExternalId") ? `Member ${text("memberExternalId")}` : null;
    default:
      return null;
  }
};

/**
 * One objection for the console, masked by lib/admins/masking.ts's rule (the address masked and
 * the person's reason withheld until a reviewer reveals them; the member's external id shown), the
 * rejection email's language and fixed text, its whole timeline, and
 * other objections made with the same address. The member's notices come from objectionMemberNotices.
 */
export const getObjectionDetail = async ({ actor, objectionId }: TGetObjectionDetail): Promise<TObjectionDetail> => {
  assertRole(actor, "viewer");
  if (!ZObjectionId.safeParse(objectionId).success) throw new AppError("not_found", { message: "There is no such objection." });
  const objection = await db().objection.findUnique({ where: { id: objectionId }, include: { member: { select: { id: true, externalId: true, locale: true } } } });
  if (!objection) throw new AppError("not_found", { message: "There is no such objection." });

  const [events, related] = await Promise.all([
    db().objectionEvent.findMany({ where: { objectionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 500 }),
    db().objection.findMany({
      where: { email: objection.email, id: { not: objection.id } },
      orderBy: [{ effectiveAt: "desc" }, { id: "desc" }],
      take: LIST_LIMIT,
      select: { id: true, status: true, source: true, country: true, effectiveAt: true, memberId: true },
    }),
  ]);

  const adminIds = [...new Set([...events.filter((event) => event.actorType === "admin" && event.actorId).map((event) => event.actorId!), ...(objection.rejectionRequestedBy ? [objection.rejectionRequestedBy] : [])])];
  const admins = adminIds.length > 0 ? await db().adminUser.findMany({ where: { id: { in: adminIds } }, select: { id: true, email: true } }) : [];
  const adminEmail = new Map(admins.map((admin) => [admin.id, admin.email]));
  // Admins are staff: reviewers and up see who did what; viewers see that an admin did.
  const adminLabel = (id: string) => (hasRole(actor, "reviewer") ? (adminEmail.get(id) ?? "An admin") : "An admin");
  const actorLabel = (actorType: ActorType, actorId: string | null) => {
    if (actorType === "admin") return actorId ? adminLabel(actorId) : "An admin";
    if (actorType === "member") return "The member";
    if (actorType === "platform") return "The platform";
    return systemActorWords(actorId);
  };

  const effective = objection.status === "effective";
  const pending = effective && !!objection.rejectionRequestedBy;
  const reviewer = hasRole(actor, "reviewer");
  // Staff write notes and rejection reasons about the person, often quoting them: viewers read neither.
  const staffText = (value: string | null) => (value === null || reviewer ? value : STAFF_TEXT_HIDDEN);

  const matchText = (type: ObjectionEventType, detail: unknown) => {
    const reason = (detail as { reason?: unknown } | null)?.reason;
    const member = eventText(type, detail);
    if (typeof reason !== "string" || !reason) return member;
    return [member, `Reason: ${staffText(reason)}`].filter(Boolean).join(". ");
  };

  return {
    id: objection.id,
    reference: objectionReference(objection.id),
    maskedEmail: consoleEmail(objection.email),
    hasReason: !!objection.reason,
    matched: !!objection.memberId,
    member: objection.member ? { id: objection.member.id, externalId: objection.member.externalId } : null,
    country: objection.country,
    source: objection.source,
    status: objection.status,
    effectiveAt: objection.effectiveAt,
    withdrawnAt: objection.withdrawnAt,
    spamAt: objection.spamAt,
    rejectedAt: objection.rejectedAt,
    createdAt: objection.createdAt,
    rejection:
      objection.rejectionRequestedBy && objection.rejectionRequestedAt && objection.rejectionReason
        ? { reason: staffText(objection.rejectionReason)!, requestedById: objection.rejectionRequestedBy, requestedByLabel: adminLabel(objection.rejectionRequestedBy), requestedAt: objection.rejectionRequestedAt }
        : null,
    timeline: events.map((event) => ({
      id: event.id.toString(),
      type: event.type,
      label: timelineEventLabel(event.type, event.detail),
      actorType: event.actorType,
      actorLabel: actorLabel(event.actorType, event.actorId),
      createdAt: event.createdAt,
      text: STAFF_WRITTEN.has(event.type) ? staffText(eventText(event.type, event.detail)) : MATCH_EVENTS.has(event.type) ? matchText(event.type, event.detail) : eventText(event.type, event.detail),
    })),
    related: related.map((other) => ({
      id: other.id,
      reference: objectionReference(other.id),
      status: other.status,
      source: other.source,
      country: other.country,
      effectiveAt: other.effectiveAt,
      matched: !!other.memberId,
    })),
    rejectionEmail: rejectionEmailPreview({ memberLocale: objection.member?.locale ?? null, matched: !!objection.memberId, country: objection.country, effectiveAt: objection.effectiveAt }),
    can: {
      act: reviewer,
      reveal: reviewer,
      match: reviewer && !objection.memberId,
      unmatch: reviewer && !!objection.memberId && matchedInConsole([...events].reverse()),
      markSpam: reviewer && !objection.spamAt,
      requestRejection: reviewer && effective && !pending,
      approveRejection: reviewer && pending && objection.rejectionRequestedBy !== actor.id,
      cancelRejection: reviewer && pending,
    },
  };
};
