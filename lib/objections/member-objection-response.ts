import "server-only";

import { apiError } from "@/lib/api/responses";

/** The 404 the member routes answer for a well-formed id no member has (a malformed one is a 422: lib/api/external-id-param). */
export const unknownMember = () => apiError({ status: 404, code: "not_found", message: "No member has this externalId: sync members first (PUT /api/v1/members)." });
