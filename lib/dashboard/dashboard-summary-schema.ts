import { z } from "zod";

import { ObjectionSource } from "@/lib/generated/prisma/enums";

const ZCount = z.number().int().min(0);

/** Days the "objections per day" chart covers, ending today (UTC). */
export const OBJECTIONS_PER_DAY_DAYS = 90;

/**
 * The dashboard's aggregates, as the worker stores them in "DashboardSummary".data. Everything the
 * page shows except the last export, which is read live (one row).
 */
export const ZDashboardSummary = z.object({
  totals: z.object({
    /** Every member the platform synced. */
    members: ZCount,
    /** The campaign audience rule: in the EEA and 18 or older today. */
    eligible: ZCount,
    /** Members told on at least one channel (an email sent, or an in-app notice). */
    notified: ZCount,
    notifiedByEmail: ZCount,
    notifiedInApp: ZCount,
    /** Members who saw at least one notice (seenAt, or clickedAt: a click implies it was seen), and who opened its link (clickedAt). */
    seen: ZCount,
    clicked: ZCount,
    /** Objections by status, whoever made them (with or without a notice). */
    objected: ZCount,
    withdrawn: ZCount,
    rejected: ZCount,
    /** Notified members whose objection is effective: the funnel's last step. */
    objectedAfterNotice: ZCount,
  }),
  /** How notified members were reached. */
  channels: z.object({ emailOnly: ZCount, inAppOnly: ZCount, both: ZCount }),
  /** Objections made on each day (by effectiveAt, UTC) of the last 90, oldest first, every day present. */
  objectionsPerDay: z.array(z.object({ day: z.iso.date(), objections: ZCount })),
  /** Every source with at least one objection, by status. */
  sources: z.array(z.object({ source: z.enum(ObjectionSource), effective: ZCount, withdrawn: ZCount, rejected: ZCount })),
  /** Every country with a member or an objection: members' figures by the member's country, objections' by the objection's. */
  countries: z.array(
    z.object({
      country: z.string().length(2),
      members: ZCount,
      eligible: ZCount,
      notified: ZCount,
      objected: ZCount,
      withdrawn: ZCount,
      rejected: ZCount,
    }),
  ),
});

export type TDashboardSummary = z.infer<typeof ZDashboardSummary>;
