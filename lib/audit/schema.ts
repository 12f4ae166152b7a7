import { z } from "zod";

import { AuditAction } from "@/lib/generated/prisma/enums";

// A real day that reads back as itself: 2026-02-30 would reach PostgreSQL's ::date and fail.
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
  });

/** The audit log's filters, as they arrive in the page's query string; an unusable value is ignored. */
export const ZAuditFilters = z.object({
  admin: z.uuid().optional().catch(undefined),
  action: z.enum(AuditAction).optional().catch(undefined),
  from: ZDay.optional().catch(undefined),
  to: ZDay.optional().catch(undefined),
  // A cursor is `<ISO time>_<id>`: letters, digits and the marks those use, nothing else.
  after: z.string().max(100).regex(/^[\w.:+-]*$/).optional().catch(undefined),
  /** Newest first unless the "When" header asked for the oldest. */
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
});

export type TAuditFilters = z.infer<typeof ZAuditFilters>;
