import "server-only";

import { z } from "zod";

import { ZInAppNotice } from "@/lib/api/response-schemas";
import { env } from "@/lib/env";

/**
 * What a platform's server does to show in-app notices: call the public API with its token.
 * The demo integration uses this on purpose instead of reading the database.
 */
export const fetchNoticesFromApi = async (externalId: string) => {
  const { APP_URL, PLATFORM_API_TOKEN } = env();
  const response = await fetch(`${APP_URL}/api/v1/members/${encodeURIComponent(externalId)}/notifications`, {
    headers: { authorization: `Bearer ${PLATFORM_API_TOKEN ?? ""}` },
    cache: "no-store",
  });
  // 422: an id no member can have (a control character, too long); the demo shows it as unknown too.
  if (response.status === 404 || response.status === 422) return null;
  if (!response.ok) throw new Error(`The platform API answered ${response.status}`);
  return z.array(ZInAppNotice).parse(await response.json());
};
