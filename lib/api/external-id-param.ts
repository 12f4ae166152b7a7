import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { ZExternalId } from "@/lib/members/schema";

/**
 * The externalId in a member route's path, checked as member sync checks it. A malformed one (a
 * control character, too long, empty) is the caller's mistake: a 422 saying what to fix, not the
 * 404 that tells them to sync a member who could never be synced. Next has already decoded the
 * parameter once: decoding it again would break on a `%` and read `%41` as `A`.
 */
export const externalIdParam = (value: string): string => {
  const parsed = ZExternalId.safeParse(value);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues[0]?.message ?? "externalId is not valid";
  throw new AppError("invalid_external_id", {
    message: `The externalId in the path is not valid (${reason}): send the member's id as it was synced, percent-encoded once.`,
    issues: [{ field: "externalId", reason }],
  });
};

/** The 404 for a well-formed externalId no member has, the same on every route that names a member. */
export const unknownMember = () => new AppError("not_found", { message: "No member has this externalId: sync members first (PUT /api/v1/members)." });
