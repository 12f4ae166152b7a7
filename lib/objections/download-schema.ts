import { z } from "zod";

import { freeTextCharactersOnly } from "@/lib/validation/text";

export const CSV_REASON_MAX = 500;

/**
 * A CSV with every address in full: the reviewer says why, and the reason goes into the audit log.
 * Shared by the queue's dialog and the download route's POST. The default CSV has no addresses
 * and needs no reason.
 */
export const ZCsvWithAddresses = z.object({
  reason: z
    .string({ error: "Write why you need the addresses." })
    .trim()
    .min(1, { error: "Write why you need the addresses." })
    .max(CSV_REASON_MAX, { error: `The reason can be at most ${CSV_REASON_MAX} characters.` })
    .check(freeTextCharactersOnly("The reason contains characters that cannot be stored (control characters).")),
});
export type TCsvWithAddresses = z.infer<typeof ZCsvWithAddresses>;
