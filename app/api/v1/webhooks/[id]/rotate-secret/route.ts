import { platformRoute } from "@/lib/api/platform-route";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";

export const POST = platformRoute<{ id: string }>(async (_request, { params }) => Response.json(await rotateWebhookSecret((await params).id), { headers: { "Cache-Control": "no-store" } }));
