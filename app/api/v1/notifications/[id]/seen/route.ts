import { z } from "zod";

import { platformRoute } from "@/lib/api/platform-route";
import { AppError } from "@/lib/errors/app-error";
import { markSeen } from "@/lib/notifications/mark-seen";

export const POST = platformRoute<{ id: string }>(async (_request, { params }) => {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success || !(await markSeen(id.data))) throw new AppError("not_found", { message: "No notification has this id." });
  return new Response(null, { status: 204 });
});
