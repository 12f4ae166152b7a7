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

/** Why an admin lifts a suppression: a fixed list, so the audit log can keep it (it never keeps free text). */
export const LIFT_REASONS = ["sending_side_fault", "address_confirmed", "member_asked", "recorded_by_mistake"] as const;

export const LIFT_REASON_LABELS: Record<(typeof LIFT_REASONS)[number], string> = {
  sending_side_fault: "The bounce came from a fault on our side (a blocklisted relay, DNS, DMARC)",
  address_confirmed: "The member confirmed that the address works",
  member_asked: "The member asked to get the notices again",
  recorded_by_mistake: "It was recorded by mistake",
};

/** The console's "lift this suppression" form and its command share this schema. */
export const ZLiftSuppression = z.object({
  memberId: z.uuid({ error: "This member link is broken: open the member again from the list." }),
  reason: z.enum(LIFT_REASONS, { error: "Pick why you lift it: the reason goes into the audit log." }),
});

export type TLiftSuppression = z.infer<typeof ZLiftSuppression>;
