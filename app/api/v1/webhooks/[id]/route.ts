import { platformRoute } from "@/lib/api/platform-route";
import { deleteWebhookEndpoint } from "@/lib/webhooks/delete-webhook-endpoint";

export const DELETE = platformRoute<{ id: string }>(async (_request, { params }) => {
  await deleteWebhookEndpoint((await params).id);
  return new Response(null, { status: 204 });
});
