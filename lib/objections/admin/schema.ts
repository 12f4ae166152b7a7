import { z } from "zod";

import { freeTextCharactersOnly, noControlCharacters } from "@/lib/validation/text";

export const OBJECTION_TEXT_MAX = 2000;

const freeText = (what: string) =>
  z
    .string({ error: `Write the ${what}.` })
    .trim()
    .min(1, { error: `Write the ${what}.` })
    .max(OBJECTION_TEXT_MAX, { error: `The ${what} can be at most ${OBJECTION_TEXT_MAX} characters.` })
    // Control characters other than line breaks and tabs hide text in the console, and NUL cannot be stored.
    .check(freeTextCharactersOnly(`The ${what} contains characters that cannot be stored (control characters).`));

export const ZObjectionId = z.uuid({ error: "That is not an objection id." });

export const ZObjectionTarget = z.object({ objectionId: ZObjectionId });
export type TObjectionTarget = z.infer<typeof ZObjectionTarget>;

export const ZObjectionNote = z.object({ objectionId: ZObjectionId, note: freeText("note") });
export type TObjectionNote = z.infer<typeof ZObjectionNote>;

export const MATCH_REASON_MAX = 500;

const ZMemberExternalId = z
  .string({ error: "Enter the member's external id." })
  .trim()
  .min(1, { error: "Enter the member's external id." })
  .max(200, { error: "An external id is at most 200 characters." })
  .check(noControlCharacters("An external id cannot contain control characters."));

/** A reviewer's reason for a match whose member differs from the objection, or for an unmatch: kept in the audit log. */
const matchReason = (what: string) =>
  z
    .string()
    .trim()
    .max(MATCH_REASON_MAX, { error: `The reason can be at most ${MATCH_REASON_MAX} characters.` })
    .check(freeTextCharactersOnly(`The ${what} contains characters that cannot be stored (control characters).`));

/** The member a reviewer is about to match, looked up before anything changes. */
export const ZMatchPreview = z.object({ objectionId: ZObjectionId, memberExternalId: ZMemberExternalId });
export type TMatchPreviewInput = z.infer<typeof ZMatchPreview>;

/**
 * A match. `reason` may be empty when the member's address and country are the objection's; when
 * either differs, matchObjection refuses without one (the difference is only known on the server).
 */
export const ZObjectionMatch = ZMatchPreview.extend({
  reason: matchReason("reason").optional().transform((value) => value || undefined),
});
export type TObjectionMatch = z.input<typeof ZObjectionMatch>;

export const ZObjectionUnmatch = z.object({
  objectionId: ZObjectionId,
  reason: matchReason("reason").min(1, { error: "Write why the match was wrong." }),
});
export type TObjectionUnmatch = z.infer<typeof ZObjectionUnmatch>;

export const ZRejectionRequest = z.object({ objectionId: ZObjectionId, reason: freeText("reason") });
export type TRejectionRequest = z.infer<typeof ZRejectionRequest>;

export const ZRejectionApproval = ZObjectionTarget;
export const ZRejectionCancel = ZObjectionTarget;
export const ZObjectionSpam = ZObjectionTarget;
export const ZObjectionReveal = ZObjectionTarget;
