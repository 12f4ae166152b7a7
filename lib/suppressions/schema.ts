import { z } from "zod";

import { SuppressionReason } from "@/lib/generated/prisma/enums";

/** The suppressions list's filters, as they arrive in the page's query string; an unusable value is ignored. */
export const ZSuppressionFilters = z.object({
  reason: z.enum(SuppressionReason).optional().catch(undefined),
  // The cursor is the last member id shown: a hand-edited one falls back to the first page.
  after: z.uuid().optional().catch(undefined),
});

export type TSuppressionFilters = z.infer<typeof ZSuppressionFilters>;
