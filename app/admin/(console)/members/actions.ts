"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { adminAction } from "@/lib/auth/admin-action";
import { liftSuppression } from "@/lib/suppressions/lift-suppression";
import { ZLiftSuppression } from "@/lib/suppressions/schema";
import { findMemberByExternalId } from "@/lib/members/find-member-by-external-id";
import { looksLikeEmailAddress, ZFindMember } from "@/lib/members/find-member-schema";

/** What the lookup form shows after a search that opened no member; the value stays in the page, never in a URL. */
export type TFindMemberState = { externalId?: string; outcome?: "invalid" | "unknown" | "address"; message?: string };

const lookUp = adminAction<typeof ZFindMember, "unknown" | "address">({
  schema: ZFindMember,
  run: async ({ actor, input }) => {
    const found = await findMemberByExternalId({ actor, externalId: input.externalId });
    if (found) redirect(`/admin/members/${found.id}`);
    return { ok: true, data: looksLikeEmailAddress(input.externalId) ? "address" : "unknown" };
  },
});

/**
 * The member lookup posts here, so what an admin types (an address pasted by mistake included)
 * never lands in a URL, an access log or the browser's history. Works without JavaScript.
 */
export const findMemberAction = async (_previous: TFindMemberState, form: FormData): Promise<TFindMemberState> => {
  const raw = form.get("externalId");
  const externalId = typeof raw === "string" ? raw : "";
  const result = await lookUp({ externalId });
  if (!result.ok) return { externalId, outcome: "invalid", message: result.message };
  return { externalId, outcome: result.data ?? "unknown" };
};

/** What the "lift this suppression" form shows after a try that did not lift it. */
export type TLiftSuppressionState = { message?: string };

const lift = adminAction({
  schema: ZLiftSuppression,
  run: async ({ actor, input }) => {
    await liftSuppression({ actor, lift: input });
    return { ok: true };
  },
});

/** The member page's "lift this suppression" form posts here; lifted, the page shows the member without it. */
export const liftSuppressionAction = async (_previous: TLiftSuppressionState, form: FormData): Promise<TLiftSuppressionState> => {
  const result = await lift({ memberId: form.get("memberId"), reason: form.get("reason") });
  if (!result.ok) return { message: result.message };
  revalidatePath(`/admin/members/${String(form.get("memberId"))}`);
  return {};
};
