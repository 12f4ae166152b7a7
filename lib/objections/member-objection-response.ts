import "server-only";

import { apiError } from "@/lib/api/responses";
import { ZExternalId } from "@/lib/members/schema";

/** The 404 both member-objection routes answer; the id is checked as sync checks it (no control characters, a length). */
export const unknownMember = () => apiError({ status: 404, code: "not_found", message: "No member has this externalId: sync members first (PUT /api/v1/members)." });

/** Next has already decoded the route parameter once: decoding again would turn `%41` into `A`. */
export const parseExternalIdParam = (value: string) => {
  const parsed = ZExternalId.safeParse(value);
  return parsed.success ? parsed.data : null;
};
