import { z } from "zod";

import { SuppressionReason } from "@/lib/generated/prisma/enums";
import { decodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";

export const BROKEN_CURSOR_MESSAGE = "This page link is broken or out of date, so the list starts again from its first page.";

/**
 * Where a page starts: the last row shown, `<createdAt, ISO to the millisecond>_<member id>`, as
 * the other newest-first console lists write it. It is decoded here in full (a real time, a real
 * uuid), so a hand-edited or cut-short cursor, or a bare member id from before the list went newest
 * first, is refused before it could reach PostgreSQL as an error.
 */
export const ZSuppressionCursor = z
  .string()
  .max(100)
  .transform((value, ctx) => {
    const key = decodeTimeIdCursor(value, { id: "uuid" });
    if (key) return key;
    ctx.addIssue({ code: "custom", message: BROKEN_CURSOR_MESSAGE });
    return z.NEVER;
  });

/** The suppressions list's filters, as they arrive in the page's query string; an unusable reason is ignored. */
export const ZSuppressionFilters = z.object({
  reason: z.enum(SuppressionReason).optional().catch(undefined),
  after: ZSuppressionCursor.optional(),
});

export type TSuppressionFilters = z.output<typeof ZSuppressionFilters>;

/** The page's filters; a broken cursor is dropped and said (the first page follows), never a 500. */
export const readSuppressionFilters = (query: Record<string, unknown>): { filters: TSuppressionFilters; problem?: string } => {
  const parsed = ZSuppressionFilters.safeParse(query);
  if (parsed.success) return { filters: parsed.data };
  return { filters: ZSuppressionFilters.parse({ reason: query.reason }), problem: BROKEN_CURSOR_MESSAGE };
};
