import { z } from "zod";

import { EMAIL_ADDRESS } from "@/lib/validation/email";
import { noControlCharacters } from "@/lib/validation/text";

// Shared by the console's member lookup form and its server action: no server-only imports here.
// The rules are the ones member sync gives an external id (ZExternalId), worded for a person.

export const EXTERNAL_ID_MAX_LENGTH = 200;

export const ZFindMember = z.object({
  externalId: z
    .string({ error: "Enter the member's external id." })
    .trim()
    .min(1, { error: "Enter the member's external id." })
    .max(EXTERNAL_ID_MAX_LENGTH, { error: `An external id has at most ${EXTERNAL_ID_MAX_LENGTH} characters: check what was pasted.` })
    .check(noControlCharacters("An external id has no line breaks, tabs or other control characters: check what was pasted.")),
});

export type TFindMember = z.infer<typeof ZFindMember>;

/** An external id could hold an `@`; only one no member has, and that reads as an address, gets the address hint. */
export const looksLikeEmailAddress = (value: string) => EMAIL_ADDRESS.test(value.trim());
