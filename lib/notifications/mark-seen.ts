import "server-only";

import { db } from "@/lib/db";

/** Records that an in-app notice was shown; the first time counts, a click is never downgraded. */
export const markSeen = async (notificationId: string) => {
  const notification = await db().notification.findUnique({ where: { id: notificationId }, select: { seenAt: true, status: true } });
  if (!notification) return false;
  if (!notification.seenAt) {
    await db().notification.updateMany({
      where: { id: notificationId, seenAt: null },
      data: { seenAt: new Date(), ...(notification.status === "sent" || notification.status === "queued" ? { status: "seen" } : {}) },
    });
  }
  return true;
};
