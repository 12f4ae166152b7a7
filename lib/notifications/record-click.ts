import "server-only";

import { db } from "@/lib/db";

/** Marks a notification clicked the first time its link is opened; later opens change nothing. */
export const recordClick = async (notificationId: string) => {
  await db().notification.updateMany({
    where: { id: notificationId, clickedAt: null },
    data: { status: "clicked", clickedAt: new Date() },
  });
};
