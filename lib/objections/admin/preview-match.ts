import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { consoleEmail } from "@/lib/admins/masking";
import { db } from "@/lib/db";
import type { ObjectionStatus } from "@/lib/generated/prisma/enums";
import { languageName } from "@/lib/i18n/language-name";
import { countryName } from "@/lib/members/country-name";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZMatchPreview } from "@/lib/objections/admin/schema";
import { LIVE_STATUS, liveObjectionWhere } from "@/lib/objections/live-objection";
import { objectionReference } from "@/lib/objections/objection-reference";

export type TMatchDifference = "email" | "country";

export type TMatchPreview = {
  externalId: string;
  maskedEmail: string;
  /** "Austria (AT)". */
  country: string;
  /** The member's language as a person reads it ("German (de)"), or null when the platform gave none. */
  language: string | null;
  /** The member's own objections, newest first. */
  objections: { id: string; reference: string; status: ObjectionStatus }[];
  /** What differs from the objection: each needs a typed reason before the match. */
  differences: TMatchDifference[];
  /** Each difference, and a live objection the member already has, in words. */
  warnings: string[];
  /** The member already has a live objection: a match would make two, and is refused. */
  blocked: boolean;
};

type TPrisma = ReturnType<typeof db> | Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

const OBJECTION_LIMIT = 10;

const countryLabel = (country: string) => `${countryName({ country, locale: "en" })} (${country})`;

/**
 * What a reviewer sees before matching: the member by external id (address masked, country,
 * language, their other objections) and, in words, every way they differ from the objection.
 * matchObjection reads the same, inside its transaction, so a preview and the match cannot disagree.
 */
export const readMatchPreview = async ({ client, objectionId, memberExternalId }: { client: TPrisma; objectionId: string; memberExternalId: string }): Promise<TMatchPreview & { memberId: string; objectionMemberId: string | null; objectionStatus: ObjectionStatus }> => {
  const objection = await client.objection.findUnique({ where: { id: objectionId }, select: { id: true, email: true, country: true, memberId: true, status: true } });
  if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
  const member = await client.member.findUnique({ where: { externalId: memberExternalId }, select: { id: true, externalId: true, email: true, country: true, locale: true } });
  if (!member) throw new AppError("not_found", { message: "No member has that external id. Check it against the platform's records." });
  const objections = await client.objection.findMany({
    where: { memberId: member.id },
    orderBy: [{ effectiveAt: "desc" }, { id: "desc" }],
    take: OBJECTION_LIMIT,
    select: { id: true, status: true },
  });
  const differences: TMatchDifference[] = [];
  const warnings: string[] = [];
  if (normaliseEmail(member.email) !== normaliseEmail(objection.email)) {
    differences.push("email");
    warnings.push(`The member's email address (${consoleEmail(member.email)}) is not the one the objection was made with (${consoleEmail(objection.email)}).`);
  }
  if (member.country !== objection.country) {
    differences.push("country");
    warnings.push(`The member's country is ${countryLabel(member.country)}; the objection gives ${countryLabel(objection.country)}.`);
  }
  // The member's own live objection (at most one), wherever it falls in the list above.
  const live = objection.status === LIVE_STATUS ? await client.objection.findFirst({ where: liveObjectionWhere({ rule: "member", memberId: member.id }), select: { id: true } }) : null;
  const blocked = !!live;
  if (blocked) warnings.push("This member already has a live objection: a match would make two. Open the other objection instead.");
  return {
    memberId: member.id,
    objectionMemberId: objection.memberId,
    objectionStatus: objection.status,
    externalId: member.externalId,
    maskedEmail: consoleEmail(member.email),
    country: countryLabel(member.country),
    language: member.locale ? languageName(member.locale) : null,
    objections: objections.map((other) => ({ id: other.id, reference: objectionReference(other.id), status: other.status })),
    differences,
    warnings,
    blocked,
  };
};

/** The preview for the match dialog (reviewer and up). Reading it changes nothing and shows only masked data, so it is not audited. */
export const previewMatch = async ({ actor, objectionId, memberExternalId }: { actor: TActor; objectionId: string; memberExternalId: string }): Promise<TMatchPreview> => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZMatchPreview, { objectionId, memberExternalId });
  const preview = await readMatchPreview({ client: db(), ...input });
  if (preview.objectionMemberId) throw new AppError("conflict", { message: "This objection is already matched to a member." });
  return { externalId: preview.externalId, maskedEmail: preview.maskedEmail, country: preview.country, language: preview.language, objections: preview.objections, differences: preview.differences, warnings: preview.warnings, blocked: preview.blocked };
};
