import { ConsoleTime } from "@/components/admin/console-time";
import { Alert } from "@/components/ui/alert";
import type { TDomainPauses } from "@/lib/campaigns/list-domain-pauses";

import { ResumeDomainButton } from "./resume-domain-button";

/**
 * The recipient domains this campaign holds back, and why: their policy rejections within an hour
 * (a relay on a blocklist, a DMARC fault), with the last refusal's words. An admin resumes one once
 * the cause is fixed; until then its emails stay queued, and the members are not suppressed.
 */
export const PausedDomains = ({ campaignId, paused, canResume }: { campaignId: string; paused: TDomainPauses; canResume: boolean }) => {
  if (paused.total === 0) return null;
  return (
    <Alert tone="warning" title={`${paused.total} recipient domain${paused.total === 1 ? " is" : "s are"} paused: they refused this campaign's emails`}>
      <div data-testid="paused-domains">
        <p>
          Their servers refused many emails for a reason that is not the address (a policy or sending-side refusal). Fix the cause on the sending side, then resume the
          domain. Its emails wait, queued; nobody was suppressed.
        </p>
        <ul className="mt-3 space-y-3">
          {paused.pauses.map((pause) => (
            <li key={pause.domain} className="rounded-md border border-amber-200 bg-white p-3 text-sm text-slate-900">
              <p className="font-mono font-medium break-all">{pause.domain}</p>
              <p>
                {pause.rejected.toLocaleString("en")} refused of {pause.sent.toLocaleString("en")} sent within the hour; paused <ConsoleTime value={pause.pausedAt} />.
              </p>
              {pause.lastStatus ? (
                <p className="text-xs text-slate-700">
                  Last refusal: <span className="font-mono">{pause.lastStatus}</span> {pause.lastDiagnostic}
                </p>
              ) : null}
              {canResume ? <ResumeDomainButton campaignId={campaignId} domain={pause.domain} /> : null}
            </li>
          ))}
        </ul>
        {paused.total > paused.pauses.length ? <p className="mt-2 text-sm">And {paused.total - paused.pauses.length} more, not listed.</p> : null}
      </div>
    </Alert>
  );
};
