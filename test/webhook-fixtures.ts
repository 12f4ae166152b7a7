import { randomUUID } from "node:crypto";

import { LINK_HOLDER } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { submitObjection } from "@/lib/objections/submit-objection";

/** A member of the webhook tests, with an address of its own. */
export const createWebhookMember = async () => {
  const externalId = `hooks-${randomUUID()}`;
  return db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "IE", birthDate: new Date("1990-05-17"), locale: "en" } });
};

/** The member's objection, as the person behind a link makes it (the hot path, outbox included). */
export const submitMemberObjection = (memberId: string) => submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: memberId }, country: "IE", source: "direct" });

/** As submitMemberObjection, for a member that exists: the stored objection. */
export const objectionOf = async (memberId: string) => {
  const result = await submitMemberObjection(memberId);
  if (result.status === "unknown_subject") throw new Error("the member exists");
  return result.objection;
};
