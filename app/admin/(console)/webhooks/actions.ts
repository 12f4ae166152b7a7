"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { adminAction } from "@/lib/auth/admin-action";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "@/lib/webhooks/delete-webhook-endpoint";
import { replayFailedWebhookDeliveries } from "@/lib/webhooks/replay-failed-webhook-deliveries";
import { replayWebhookDelivery } from "@/lib/webhooks/replay-webhook-delivery";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { ZCreateWebhook, ZReplayWebhookDelivery, ZWebhookEndpointRef } from "@/lib/webhooks/schema";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { testDeliveryOutcome } from "@/lib/webhooks/test-delivery-outcome";

const WEBHOOKS_PATH = "/admin/webhooks";
const endpointPath = (id: string) => `${WEBHOOKS_PATH}/${id}`;

export const addWebhookEndpointAction = adminAction({
  schema: ZCreateWebhook,
  run: async ({ actor, input }) => {
    const { id, secret } = await createWebhookEndpoint({ actor, ...input });
    revalidatePath(WEBHOOKS_PATH);
    return { ok: true, message: "Endpoint added. Copy its signing secret now: it is not shown again.", data: { id, secret } };
  },
});

export const removeWebhookEndpointAction = adminAction({
  schema: ZWebhookEndpointRef,
  run: async ({ actor, input }) => {
    await deleteWebhookEndpoint({ actor, id: input.endpointId });
    revalidatePath(WEBHOOKS_PATH);
    redirect(WEBHOOKS_PATH);
  },
});

export const rotateWebhookSecretAction = adminAction({
  schema: ZWebhookEndpointRef,
  run: async ({ actor, input }) => {
    const { secret, previousSecretValidUntil } = await rotateWebhookSecret({ actor, id: input.endpointId });
    revalidatePath(endpointPath(input.endpointId));
    const until = `${previousSecretValidUntil.slice(0, 16).replace("T", " ")} UTC`;
    return { ok: true, message: `New secret made. Until ${until} every delivery is signed with the old one too.`, data: { id: input.endpointId, secret } };
  },
});

export const sendTestWebhookAction = adminAction({
  schema: ZWebhookEndpointRef,
  run: async ({ actor, input }) => {
    const { deliveryId } = await sendTestWebhook({ actor, id: input.endpointId });
    const outcome = await testDeliveryOutcome(deliveryId);
    revalidatePath(endpointPath(input.endpointId));
    if (!outcome) return { ok: true, message: "Test queued. No answer yet: is a worker running? Its outcome appears in the list below." };
    if (outcome.status === "delivered") return { ok: true, message: `Test delivered: HTTP ${outcome.lastStatusCode} in ${outcome.lastLatencyMs} ms.` };
    return { ok: false, message: `Test not delivered: ${outcome.lastError}. It is retried like any other delivery.` };
  },
});

export const replayWebhookDeliveryAction = adminAction({
  schema: ZReplayWebhookDelivery,
  run: async ({ actor, input }) => {
    await replayWebhookDelivery({ actor, replay: input });
    revalidatePath(endpointPath(input.endpointId));
    return { ok: true, message: "Delivery queued again: a worker sends it within a second." };
  },
});

export const replayFailedWebhookDeliveriesAction = adminAction({
  schema: ZWebhookEndpointRef,
  run: async ({ actor, input }) => {
    const { enabled } = await replayFailedWebhookDeliveries({ actor, id: input.endpointId });
    revalidatePath(endpointPath(input.endpointId));
    return { ok: true, message: enabled ? "Endpoint enabled again, and every failed delivery queued again." : "Every failed delivery queued again." };
  },
});
