import { platformRoute } from "@/lib/api/platform-route";
import { readJsonBody, validationFailed } from "@/lib/api/responses";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { ZMemberSync } from "@/lib/members/schema";
import { upsertMembers } from "@/lib/members/upsert-members";

export const PUT = platformRoute(async (request) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ZMemberSync.safeParse(read.body);
  if (!parsed.success) return validationFailed(parsed.error);
  return Response.json(await upsertMembers({ actor: PLATFORM_ACTOR, members: parsed.data.members }));
});
