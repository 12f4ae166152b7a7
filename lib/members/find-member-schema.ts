import { z } from "zod";

import { EXTERNAL_ID_MAX_LENGTH, externalIdSchema } from "@/lib/members/external-id-schema";
import { EMAIL_ADDRESS } from "@/lib/validation/email";

// Shared by the console's member lookup form and its server action: no server-only imports here.
// The rules are the ones member sync gives an external id (ZExternalId), worded for a person.

export const ZFindMember = z.object({
  externalId: externalIdSchema({
    required: "Enter the member's external id.",
    empty: "Enter the member's external id.",
    tooLong: `An external id has at most ${EXTERNAL_ID_MAX_LENGTH} characters: check what was pasted.`,
    controlCharacters: "An external id has no line breaks, tabs or other control characters: check what was pasted.",
  }),
});

export type TFindMember = z.infer<typeof ZFindMember>;

/** An external id could hold an `@`; only one no member has, and that reads as an address, gets the address hint. */
export const looksLikeEmailAddress = (value: string) => EMAIL_ADDRESS.test(value.trim());
