import "server-only";

import { db } from "@/lib/db";

/** Whether the objection's receipt went out: its `receipt_sent` event, as stored, whatever the clock says. */
export const receiptSent = async (objectionId: string) =>
  (await db().objectionEvent.findFirst({ where: { objectionId, type: "receipt_sent" }, select: { id: true } })) !== null;
