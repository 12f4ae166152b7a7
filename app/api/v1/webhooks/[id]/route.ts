import { platformRoute } from "@/lib/api/platform-route";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { deleteWebhookEndpoint } from "@/lib/webhooks/delete-webhook-endpoint";

export const DELETE = platformRoute<{ id: string }>(async (_request, { params }) => {
  await deleteWebhookEndpoint({ actor: PLATFORM_ACTOR, id: (await params).id });
  return new Response(null, { status: 204 });
});
