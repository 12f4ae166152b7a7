import { platformRoute } from "@/lib/api/platform-route";
import { readJsonBody, validationFailed } from "@/lib/api/responses";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/lib/webhooks/list-webhook-endpoints";
import { ZCreateWebhook } from "@/lib/webhooks/schema";

export const POST = platformRoute(async (request) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ZCreateWebhook.safeParse(read.body);
  if (!parsed.success) return validationFailed(parsed.error);
  // A URL the SSRF rules refuse throws an AppError: 422, nothing written.
  const endpoint = await createWebhookEndpoint({ actor: PLATFORM_ACTOR, ...parsed.data });
  return Response.json(endpoint, { status: 201, headers: { Location: `/api/v1/webhooks/${endpoint.id}`, "Cache-Control": "no-store" } });
});

export const GET = platformRoute(async () => Response.json({ webhooks: await listWebhookEndpoints() }));
