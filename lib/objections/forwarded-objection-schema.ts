import { z } from "zod";

import { ZExternalId } from "@/lib/members/schema";

/** An objection the member made inside the platform's own app, forwarded by its servers. */
export const ZForwardedObjection = z.object({
  externalId: ZExternalId,
  source: z.enum(["in_app_setting", "gpc"], { error: 'source must be "in_app_setting" or "gpc"' }),
});
