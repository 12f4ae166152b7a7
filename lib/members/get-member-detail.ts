import "server-only";

import { z } from "zod";

import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { ObjectionStatus } from "@/lib/generated/prisma/enums";
import { consoleEmail } from "@/lib/admins/masking";
import { memberNoticeRecords, type TMemberNotice, type TMemberNotices } from "@/lib/notifications/member-notice-history";
import { objectionReference } from "@/lib/objections/objection-reference";

export type TMemberObjection = { id: string; reference: string; status: ObjectionStatus; effectiveAt: Date; spam: boolean };

export type TMemberSuppression = NonNullable<TMemberNotices["suppression"]>;

export type TMemberDetail = {
  id: string;
  externalId: string;
  maskedEmail: string;
  country: string;
  locale: string | null;
  createdAt: Date;
  objections: TMemberObjection[];
  suppression: TMemberSuppression | null;
  notices: TMemberNotice[];
};

export const ZMemberId = z.uuid({ error: "That is not a member id." });

const OBJECTION_LIMIT = 20;

/**
 * One member for the console: who they are (the address masked, as every list shows it), their
 * objections, whether their emails are stopped and by which notice, and every notice they were
 * sent. Like the objection detail, reading it is not audited: it shows nothing a viewer's lists do
 * not; revealing the address stays on the objection page, audited there.
 */
export const getMemberDetail = async ({ actor, memberId }: { actor: TActor; memberId: string }): Promise<TMemberDetail> => {
  assertRole(actor, "viewer");
  if (!ZMemberId.safeParse(memberId).success) throw new AppError("not_found", { message: "There is no such member." });
  const [member, notices, objections] = await Promise.all([
    db().member.findUnique({ where: { id: memberId }, select: { id: true, externalId: true, email: true, country: true, locale: true, createdAt: true } }),
    memberNoticeRecords({ memberId }),
    db().objection.findMany({
      where: { memberId },
      orderBy: [{ effectiveAt: "desc" }, { id: "desc" }],
      take: OBJECTION_LIMIT,
      select: { id: true, status: true, effectiveAt: true, spamAt: true },
    }),
  ]);
  if (!member || !notices) throw new AppError("not_found", { message: "There is no such member." });
  return {
    id: member.id,
    externalId: member.externalId,
    maskedEmail: consoleEmail(member.email),
    country: member.country,
    locale: member.locale,
    createdAt: member.createdAt,
    objections: objections.map((objection) => ({ id: objection.id, reference: objectionReference(objection.id), status: objection.status, effectiveAt: objection.effectiveAt, spam: !!objection.spamAt })),
    suppression: notices.suppression,
    notices: notices.notices,
  };
};
