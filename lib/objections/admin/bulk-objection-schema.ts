import { z } from "zod";

import { OBJECTION_TEXT_MAX, ZObjectionId } from "@/lib/objections/admin/schema";
import { freeTextCharactersOnly } from "@/lib/validation/text";

export const BULK_MAX_ITEMS = 200;

const ZSelection = z
  .array(ZObjectionId)
  .min(1, { error: "Select at least one objection." })
  .max(BULK_MAX_ITEMS, { error: `Select at most ${BULK_MAX_ITEMS} objections at a time.` });

/** The bulk bar's form and its server action: one action on a selection of objections. */
export const ZBulkObjectionAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("match"), objectionIds: ZSelection }),
  z.object({ action: z.literal("spam"), objectionIds: ZSelection }),
  z.object({
    action: z.literal("note"),
    objectionIds: ZSelection,
    note: z
      .string({ error: "Write the note." })
      .trim()
      .min(1, { error: "Write the note." })
      .max(OBJECTION_TEXT_MAX, { error: `The note can be at most ${OBJECTION_TEXT_MAX} characters.` })
      .check(freeTextCharactersOnly("The note contains characters that cannot be stored (control characters).")),
  }),
]);

export type TBulkObjectionAction = z.infer<typeof ZBulkObjectionAction>;

/** One selected objection's outcome. */
export type TBulkItemResult = { id: string; ok: boolean; message: string };
