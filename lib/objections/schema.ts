import { z } from "zod";

import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { emailAddress } from "@/lib/validation/email";
import { freeTextCharactersOnly, noControlCharacters } from "@/lib/validation/text";

export const REASON_MAX_LENGTH = 2000;

// Error messages are message keys (messages/*.json → "errors"), so the client
// and the server show the same translated text.
export const ZObjectionInput = z.object({
  // Verified on the server; here only what no token can hold is turned away.
  token: z.string({ error: "invalid_link" }).min(1, { error: "invalid_link" }).max(200, { error: "invalid_link" }).check(noControlCharacters("invalid_link")),
  country: z.enum(EEA_COUNTRIES, { error: "country_required" }),
  reason: z
    .string()
    .max(REASON_MAX_LENGTH, { error: "reason_too_long" })
    // Line breaks and tabs are a reason's layout; NUL and the other controls cannot be stored.
    .check(freeTextCharactersOnly("reason_invalid_characters"))
    .optional()
    .transform((value) => (value && value.trim() !== "" ? value : undefined)),
});

export type TObjectionInput = z.input<typeof ZObjectionInput>;
export type TObjectionData = z.output<typeof ZObjectionInput>;

export const ZRequestLinkInput = z.object({
  email: z.string({ error: "email_invalid" }).trim().pipe(emailAddress({ error: "email_invalid" }).max(254, { error: "email_invalid" })),
});

export type TRequestLinkInput = z.input<typeof ZRequestLinkInput>;
