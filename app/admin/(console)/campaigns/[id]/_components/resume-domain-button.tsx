"use client";

import { useActionState } from "react";

import { resumeDomainAction } from "@/app/admin/(console)/campaigns/actions";
import { Button } from "@/components/ui/button";

/** Resumes one paused domain; the server checks the role and says what happened. Works without JavaScript. */
export const ResumeDomainButton = ({ campaignId, domain }: { campaignId: string; domain: string }) => {
  const [state, submit, pending] = useActionState(resumeDomainAction, null);
  return (
    <form action={submit} className="mt-2 flex flex-wrap items-center gap-2">
      <input type="hidden" name="campaignId" value={campaignId} />
      <input type="hidden" name="domain" value={domain} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending} aria-label={`Resume ${domain}`}>
        {pending ? "Resuming…" : "Resume this domain"}
      </Button>
      {state ? (
        <p role="status" className={state.ok ? "text-sm text-green-800" : "text-sm text-red-800"}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
};
