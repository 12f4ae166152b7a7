import { Inbox } from "lucide-react";

import { ReplayDeliveryButton, type TReplayDelivery } from "@/app/admin/(console)/webhooks/[id]/_components/replay-delivery-button";
import { ConsoleTime } from "@/components/admin/console-time";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Td, Th } from "@/components/ui/table";
import type { TDeliveryState, TWebhookEndpointPage } from "@/lib/webhooks/webhook-endpoint-page";

const STATE: Record<TDeliveryState, { label: string; tone: "success" | "warning" | "neutral" }> = {
  delivered: { label: "Delivered", tone: "success" },
  retrying: { label: "Retrying", tone: "warning" },
  waiting: { label: "Waiting", tone: "neutral" },
};

/** An endpoint's recent deliveries, newest event first: each one's state, tries, last answer and latency; a failing one can be replayed. */
export const DeliveriesTable = ({ endpointId, deliveries, replay, isFirstPage }: { endpointId: string; deliveries: TWebhookEndpointPage["deliveries"]; replay: TReplayDelivery; isFirstPage: boolean }) => {
  if (deliveries.length === 0) {
    return (
      <EmptyState icon={Inbox} title={isFirstPage ? "No deliveries yet" : "No older deliveries"}>
        {isFirstPage ? "Each objection or withdrawal this endpoint listens for is listed here as it is delivered. Send a test to try the receiver now." : "Delivered ones are pruned after 14 days."}
      </EmptyState>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Recent deliveries, newest first</caption>
        <thead>
          <tr>
            <Th>Event</Th>
            <Th>State</Th>
            <Th>Tries</Th>
            <Th>Last answer</Th>
            <Th>Latency</Th>
            <Th>Last try</Th>
            <Th>
              <span className="sr-only">Replay</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} data-testid="webhook-delivery">
              <Td>
                <span className="block font-mono text-xs">{delivery.type}</span>
                <span className="block text-xs text-slate-600">{delivery.webhookId}</span>
              </Td>
              <Td>
                <Badge tone={STATE[delivery.state].tone}>{STATE[delivery.state].label}</Badge>
                {delivery.state === "retrying" ? (
                  <span className="mt-1 block text-xs text-slate-600">
                    next <ConsoleTime value={delivery.nextAttemptAt} />
                  </span>
                ) : null}
              </Td>
              <Td>{delivery.attempts}</Td>
              <Td className="max-w-56 break-words">{delivery.lastStatusCode ? `HTTP ${delivery.lastStatusCode}` : (delivery.lastError ?? "—")}</Td>
              <Td>{delivery.lastLatencyMs === null ? "—" : `${delivery.lastLatencyMs} ms`}</Td>
              <Td>
                <ConsoleTime value={delivery.lastAttemptAt} fallback="Not yet" />
              </Td>
              <Td>{delivery.state === "retrying" ? <ReplayDeliveryButton endpointId={endpointId} deliveryId={delivery.id} replay={replay} /> : null}</Td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
