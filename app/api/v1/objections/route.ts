import { platformRoute } from "@/lib/api/platform-route";
import { unknownMember } from "@/lib/api/external-id-param";
import { readJsonBody, validationFailed } from "@/lib/api/responses";
import { forwardObjection } from "@/lib/objections/forward-objection";
import { ZForwardedObjection } from "@/lib/objections/forwarded-objection-schema";

export const POST = platformRoute(async (request) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ZForwardedObjection.safeParse(read.body);
  if (!parsed.success) return validationFailed(parsed.error);

  const result = await forwardObjection(parsed.data);
  if (!result) throw unknownMember();

  const { objection, created } = result;
  return Response.json(
    { id: objection.id, status: objection.status, source: objection.source, effectiveAt: objection.effectiveAt, created },
    { status: created ? 201 : 200 },
  );
});
