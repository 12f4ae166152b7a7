import { z } from "zod";

import { AuditAction } from "@/lib/generated/prisma/enums";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The audit log's filters, as they arrive in the page's query string; an unusable value is ignored. */
export const ZAuditFilters = z.object({
  admin: z.uuid().optional().catch(undefined),
  action: z.enum(AuditAction).optional().catch(undefined),
  from: z.string().regex(DAY).optional().catch(undefined),
  to: z.string().regex(DAY).optional().catch(undefined),
  after: z.string().max(100).optional().catch(undefined),
  /** Newest first unless the "When" header asked for the oldest. */
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
});

export type TAuditFilters = z.infer<typeof ZAuditFilters>;
