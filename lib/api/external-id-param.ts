import "server-only";

import { apiError } from "@/lib/api/responses";
import { ZExternalId } from "@/lib/members/schema";

/**
 * The externalId in a member route's path, checked as member sync checks it. A malformed one (a
 * control character, too long, empty) is the caller's mistake: a 422 saying what to fix, not the
 * 404 that tells them to sync a member who could never be synced. Next has already decoded the
 * parameter once: decoding it again would break on a `%` and read `%41` as `A`.
 */
export const parseExternalIdParam = (value: string): { ok: true; externalId: string } | { ok: false; response: Response } => {
  const parsed = ZExternalId.safeParse(value);
  if (parsed.success) return { ok: true, externalId: parsed.data };
  const reason = parsed.error.issues[0]?.message ?? "externalId is not valid";
  return {
    ok: false,
    response: apiError({
      status: 422,
      code: "invalid_external_id",
      message: `The externalId in the path is not valid (${reason}): send the member's id as it was synced, percent-encoded once.`,
      issues: [{ field: "externalId", reason }],
    }),
  };
};
