"use client";

import { KeyRound, RotateCcw, Send, Trash2 } from "lucide-react";
import { useState, useTransition } from "react";

import { ShownOnceSecret } from "@/app/admin/(console)/webhooks/_components/shown-once-secret";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { TActionResult } from "@/lib/auth/admin-action";

type TEndpointAction = (input: { endpointId: string }) => Promise<TActionResult<{ id: string; secret: string }> | TActionResult>;

export type TEndpointActions = { sendTest: TEndpointAction; replayFailed: TEndpointAction; rotateSecret: TEndpointAction; remove: TEndpointAction };

/** The endpoint's commands, each answering in a message above the list; removing asks first. */
export const EndpointActions = ({ endpointId, url, actions }: { endpointId: string; url: string; actions: TEndpointActions }) => {
  const [result, setResult] = useState<TActionResult<{ id: string; secret: string }> | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (action: TEndpointAction) => () => startTransition(async () => setResult(await action({ endpointId })));
  const secret = result?.ok ? result.data?.secret : undefined;
  return (
    <div className="mb-6 space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={run(actions.sendTest)} disabled={pending}>
          <Send className="h-4 w-4" aria-hidden />
          Send a test
        </Button>
        <Button variant="secondary" onClick={run(actions.replayFailed)} disabled={pending}>
          <RotateCcw className="h-4 w-4" aria-hidden />
          Replay all failed
        </Button>
        <Button variant="secondary" onClick={run(actions.rotateSecret)} disabled={pending}>
          <KeyRound className="h-4 w-4" aria-hidden />
          Rotate secret
        </Button>
        <Dialog>
          <DialogTrigger asChild>
            <Button variant="ghost" disabled={pending}>
              <Trash2 className="h-4 w-4" aria-hidden />
              Remove
            </Button>
          </DialogTrigger>
          <DialogContent title="Remove this endpoint?" description={`${url} gets nothing more, and its deliveries, failed ones too, are dropped. The nightly export still lists every objection.`}>
            <div className="flex flex-wrap justify-end gap-2">
              <DialogClose asChild>
                <Button variant="secondary">Keep it</Button>
              </DialogClose>
              <Button variant="danger" onClick={run(actions.remove)} disabled={pending}>
                {pending ? "Removing…" : "Remove endpoint"}
              </Button>
            </div>
          </DialogContent>
        </Dialog>
      </div>
      {pending ? (
        <p role="status" className="text-sm text-slate-600">
          Working…
        </p>
      ) : null}
      {result && !pending ? (
        <Alert tone={result.ok ? "success" : "danger"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </Alert>
      ) : null}
      {secret && !pending ? <ShownOnceSecret secret={secret} /> : null}
    </div>
  );
};
