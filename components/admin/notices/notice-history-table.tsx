import { Inbox } from "lucide-react";
import type { ReactNode } from "react";

import { ConsoleTime } from "@/components/admin/console-time";
import { BOUNCE_LABELS, CHANNEL_LABELS, NOTICE_STATUS_LABELS, NOTICE_STATUS_TONES, shortVersion } from "@/components/admin/notices/notice-labels";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RowLink } from "@/components/ui/row-link";
import { Td, Th } from "@/components/ui/table";
import type { TMemberNotice } from "@/lib/notifications/member-notice-history";

// This table's headers are small capitals and its cells wrap, top-aligned.
const TH = "text-xs font-semibold tracking-wide uppercase";
const TD = "align-top";

const None = () => <span className="text-slate-600">—</span>;

/** The anchor of a notice's row, so a suppression can point at the notice that caused it. */
export const noticeAnchor = (noticeId: string) => `notice-${noticeId}`;

const Bounce = ({ notice }: { notice: TMemberNotice }) => {
  if (!notice.bounce && notice.softBounces === 0 && !notice.delay) return <None />;
  return (
    <div className="space-y-1">
      {notice.bounce ? (
        <>
          <p className="flex flex-wrap items-center gap-1">
            <Badge tone={notice.bounce.kind === "rejected" ? "warning" : "danger"}>{BOUNCE_LABELS[notice.bounce.kind]}</Badge>
            {notice.bounce.status ? <span className="font-mono text-xs">{notice.bounce.status}</span> : null}
          </p>
          {notice.bounce.diagnostic ? <p className="max-w-64 text-xs break-words text-slate-700">{notice.bounce.diagnostic}</p> : null}
          <p className="text-xs text-slate-600">
            <ConsoleTime value={notice.bounce.at} />
          </p>
        </>
      ) : null}
      {notice.softBounces > 0 ? (
        <p className="text-xs text-slate-700">
          {notice.softBounces} soft bounce{notice.softBounces === 1 ? "" : "s"}
        </p>
      ) : null}
      {notice.delay ? (
        <p className="text-xs text-slate-700">
          Delayed ({notice.delay.status}), <ConsoleTime value={notice.delay.at} />: the relay was still trying; not counted.
        </p>
      ) : null}
    </div>
  );
};

/**
 * Every notice a member was sent, newest first: the proof of notice the API serves, read by a
 * person. Shared by the member page and the objection page. On a phone the table scrolls sideways
 * inside its box, as every console table does; each cell wraps its details under a short headline.
 */
export const NoticeHistoryTable = ({ notices, suppressedBy, empty }: { notices: TMemberNotice[]; suppressedBy?: string | null; empty?: ReactNode }) => {
  if (notices.length === 0)
    return (
      empty ?? (
        <EmptyState icon={Inbox} title="No notices yet">
          This member has not been sent a notice on any channel.
        </EmptyState>
      )
    );
  return (
    // Focusable, so a keyboard can scroll it on a phone even when no cell holds a link.
    <div className="overflow-x-auto rounded-md border border-slate-200" tabIndex={0} role="region" aria-label="Notices this member received">
      <table className="w-full min-w-[48rem] text-left text-sm wrap-normal" data-testid="notice-history">
        <caption className="sr-only">Notices this member received</caption>
        <thead>
          <tr>
            <Th className={TH}>Notice</Th>
            <Th className={TH}>Status</Th>
            <Th className={TH}>Sent · relay reply</Th>
            <Th className={TH}>Bounce or complaint</Th>
            <Th className={TH}>Seen</Th>
            <Th className={TH}>Clicked</Th>
          </tr>
        </thead>
        <tbody>
          {notices.map((notice) => (
            <tr key={notice.id} id={noticeAnchor(notice.id)} data-testid="notice-row" className="target:bg-amber-50">
              {/* Wide enough for a campaign's name to wrap between words, not inside them. */}
              <Td className={`${TD} min-w-48`}>
                <p className="flex flex-wrap items-center gap-1">
                  <Badge>{CHANNEL_LABELS[notice.channel]}</Badge>
                  {suppressedBy === notice.id ? <Badge tone="warning">Stopped emails</Badge> : null}
                </p>
                <p className="mt-1">
                  <RowLink href={`/admin/campaigns/${notice.campaign.id}`} className="text-blue-800 underline hover:text-blue-900">
                    {notice.campaign.name || "Unnamed campaign"}
                  </RowLink>
                </p>
                <p className="mt-1 text-xs text-slate-600">
                  {notice.noticeVersion ? (
                    <>
                      Version{" "}
                      <span className="font-mono" title={notice.noticeVersion}>
                        {shortVersion(notice.noticeVersion)}
                      </span>
                    </>
                  ) : (
                    "No version recorded"
                  )}
                  {notice.locale ? (
                    <>
                      {" · "}
                      <span lang={notice.locale}>{notice.locale}</span>
                    </>
                  ) : null}
                </p>
              </Td>
              <Td className={TD}>
                <Badge tone={NOTICE_STATUS_TONES[notice.status]}>{NOTICE_STATUS_LABELS[notice.status]}</Badge>
              </Td>
              <Td className={TD}>
                <ConsoleTime value={notice.sentAt} fallback="Not sent" />
                {notice.relayReply ? <p className="mt-1 max-w-72 font-mono text-xs break-all text-slate-700">{notice.relayReply}</p> : null}
              </Td>
              <Td className={TD}>
                <Bounce notice={notice} />
              </Td>
              <Td className={TD}>
                <ConsoleTime value={notice.seenAt} />
              </Td>
              <Td className={TD}>
                <ConsoleTime value={notice.clickedAt} />
              </Td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
