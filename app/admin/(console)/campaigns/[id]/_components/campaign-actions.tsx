"use client";

import { Pause, Play, Rocket } from "lucide-react";
import { useState, useTransition } from "react";

import { launchCampaignAction, pauseCampaignAction, resumeCampaignAction } from "@/app/admin/(console)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { TActionResult } from "@/lib/auth/admin-action";

/** Launch (after a confirmation: it cannot be undone), pause and resume (also a failed campaign), as the status allows. */
export const CampaignActions = ({ campaignId, status, audience }: { campaignId: string; status: string; audience: number | null }) => {
  const [result, setResult] = useState<TActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (action: typeof launchCampaignAction) => startTransition(async () => setResult(await action({ campaignId })));

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {status === "draft" ? (
          <Dialog>
            <DialogTrigger asChild>
              <Button disabled={pending}>
                <Rocket className="h-4 w-4" aria-hidden />
                Launch
              </Button>
            </DialogTrigger>
            <DialogContent
              title="Launch this campaign?"
              description={`${audience === null ? "Every eligible member" : `About ${audience.toLocaleString("en")} member${audience === 1 ? "" : "s"}`} will be notified. A launch cannot be undone; you can pause it.`}
            >
              <div className="flex flex-wrap justify-end gap-2">
                <DialogClose asChild>
                  <Button variant="secondary">Cancel</Button>
                </DialogClose>
                <DialogClose asChild>
                  <Button onClick={() => run(launchCampaignAction)}>Launch now</Button>
                </DialogClose>
              </div>
            </DialogContent>
          </Dialog>
        ) : null}
        {status === "running" ? (
          <Button variant="secondary" disabled={pending} onClick={() => run(pauseCampaignAction)}>
            <Pause className="h-4 w-4" aria-hidden />
            Pause
          </Button>
        ) : null}
        {status === "paused" || status === "failed" ? (
          <Button disabled={pending} onClick={() => run(resumeCampaignAction)}>
            <Play className="h-4 w-4" aria-hidden />
            Resume
          </Button>
        ) : null}
      </div>
      <div aria-live="polite">{result ? <Alert tone={result.ok ? "success" : "danger"}>{result.message}</Alert> : null}</div>
    </div>
  );
};
