import { platformRoute } from "@/lib/api/platform-route";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";

export const POST = platformRoute<{ id: string }>(async (_request, { params }) =>
  Response.json(await rotateWebhookSecret({ actor: PLATFORM_ACTOR, id: (await params).id }), { headers: { "Cache-Control": "no-store" } }),
);
