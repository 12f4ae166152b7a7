"use client";

import { Pause, Play, Rocket } from "lucide-react";
import { useState, useTransition } from "react";

import { launchCampaignAction, pauseCampaignAction, resumeCampaignAction } from "@/app/admin/(console)/campaigns/actions";
import { NotYetReachedChoice } from "@/components/admin/campaigns/not-yet-reached-choice";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { TActionResult } from "@/lib/auth/admin-action";
import { launchSentence, notYetReachedByDefault, offersNotYetReached, type TAudienceFigures } from "@/lib/campaigns/audience-wording";

/** The status each command leads to: its message is news only while the campaign is still there. */
type TOutcome = { result: TActionResult; leadsTo: string };

/**
 * Launch (after a confirmation: it cannot be undone, and it says how many were already reached by an
 * earlier campaign, offering to leave them out), pause and resume (also a failed campaign), as the
 * status allows. A command's message goes once the campaign has moved on: "the audience is being
 * computed" is not shown beside a campaign that is done.
 */
export const CampaignActions = ({
  campaignId,
  status,
  audience,
  onlyNotYetReached: stored,
}: {
  campaignId: string;
  status: string;
  audience: TAudienceFigures | null;
  onlyNotYetReached: boolean;
}) => {
  const [outcome, setOutcome] = useState<TOutcome | null>(null);
  const [pending, startTransition] = useTransition();
  const figures = audience ?? { count: null, alreadyReached: null, anyEarlierReach: false };
  const offered = offersNotYetReached(figures);
  // Null follows the default, which an exact count asked for after the estimate may change.
  const [chosen, setOnlyNotYetReached] = useState<boolean | null>(null);
  const onlyNotYetReached = chosen ?? (stored || notYetReachedByDefault(figures));
  const run = (action: () => Promise<TActionResult>, leadsTo: string) => startTransition(async () => setOutcome({ result: await action(), leadsTo }));
  // A refusal stays until the next command; a success only while its status holds.
  const shown = outcome && (!outcome.result.ok || outcome.leadsTo === status) ? outcome.result : null;
  const choice = offered ? onlyNotYetReached : stored;

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
            <DialogContent title="Launch this campaign?" description={launchSentence(figures, choice)}>
              {offered ? (
                <div className="mb-4">
                  <NotYetReachedChoice figures={figures} value={onlyNotYetReached} onChange={setOnlyNotYetReached} name="launchOnlyNotYetReached" />
                </div>
              ) : null}
              <div className="flex flex-wrap justify-end gap-2">
                <DialogClose asChild>
                  <Button variant="secondary">Cancel</Button>
                </DialogClose>
                <DialogClose asChild>
                  <Button onClick={() => run(() => launchCampaignAction({ campaignId, onlyNotYetReached: choice }), "running")}>Launch now</Button>
                </DialogClose>
              </div>
            </DialogContent>
          </Dialog>
        ) : null}
        {status === "running" ? (
          <Button variant="secondary" disabled={pending} onClick={() => run(() => pauseCampaignAction({ campaignId }), "paused")}>
            <Pause className="h-4 w-4" aria-hidden />
            Pause
          </Button>
        ) : null}
        {status === "paused" || status === "failed" ? (
          <Button disabled={pending} onClick={() => run(() => resumeCampaignAction({ campaignId }), "running")}>
            <Play className="h-4 w-4" aria-hidden />
            Resume
          </Button>
        ) : null}
      </div>
      <div aria-live="polite">{shown ? <Alert tone={shown.ok ? "success" : "danger"}>{shown.message}</Alert> : null}</div>
    </div>
  );
};
