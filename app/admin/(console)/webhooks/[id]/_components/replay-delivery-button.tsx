"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import type { TActionResult } from "@/lib/auth/admin-action";

export type TReplayDelivery = (input: { endpointId: string; deliveryId: string }) => Promise<TActionResult>;

/** One failed delivery's "Replay", answering beside itself. */
export const ReplayDeliveryButton = ({ endpointId, deliveryId, replay }: { endpointId: string; deliveryId: string; replay: TReplayDelivery }) => {
  const [result, setResult] = useState<TActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  if (result?.ok) {
    return (
      <span role="status" className="text-sm text-green-800">
        Queued again
      </span>
    );
  }
  return (
    <span className="flex flex-col items-start gap-1">
      <Button size="sm" variant="secondary" disabled={pending} onClick={() => startTransition(async () => setResult(await replay({ endpointId, deliveryId })))} aria-label={`Replay delivery ${deliveryId}`}>
        {pending ? "Replaying…" : "Replay"}
      </Button>
      {result && !result.ok ? (
        <span role="alert" className="text-xs text-red-800">
          {result.message}
        </span>
      ) : null}
    </span>
  );
};
