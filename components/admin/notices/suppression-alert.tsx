import { ConsoleTime } from "@/components/admin/console-time";
import { noticeAnchor } from "@/components/admin/notices/notice-history-table";
import { LiftSuppressionForm } from "@/components/admin/notices/lift-suppression-form";
import { CHANNEL_LABELS, SUPPRESSION_REASON_LABELS } from "@/components/admin/notices/notice-labels";
import { Alert } from "@/components/ui/alert";
import type { TMemberNotice, TMemberNotices } from "@/lib/notifications/member-notice-history";

const WHY: Record<NonNullable<TMemberNotices["suppression"]>["reason"], string> = {
  hard_bounce: "An email to this address bounced: the receiving server said the address is wrong. A new address from member sync lifts it.",
  complaint: "This member reported an email as spam.",
  unsubscribe: "This member pressed \u201cstop these emails\u201d. That is not an objection.",
};

type TLiftAction = Parameters<typeof LiftSuppressionForm>[0]["action"];

/**
 * Why this member gets no more email notices, since when, and which notice it came from. In-app
 * notices still reach them. With `lift` (a reviewer's page), a form lifts it, with a reason.
 */
export const SuppressionAlert = ({ suppression, notices, lift }: { suppression: TMemberNotices["suppression"]; notices: TMemberNotice[]; lift?: { memberId: string; action: TLiftAction } }) => {
  if (!suppression) return null;
  const notice = suppression.notificationId ? notices.find((candidate) => candidate.id === suppression.notificationId) : undefined;
  return (
    <Alert tone="warning" title={`No more email notices: ${SUPPRESSION_REASON_LABELS[suppression.reason].toLowerCase()}`} className="mb-4">
      <div data-testid="suppression">
        <p>
          {WHY[suppression.reason]} Suppressed since <ConsoleTime value={suppression.at} />; in-app notices still reach them.
        </p>
        {notice ? (
          <p className="mt-1">
            From the notice:{" "}
            <a href={`#${noticeAnchor(notice.id)}`} className="underline">
              {CHANNEL_LABELS[notice.channel]}
              {`, ${notice.campaign.name}`}
            </a>
          </p>
        ) : null}
        {lift ? <LiftSuppressionForm memberId={lift.memberId} action={lift.action} /> : null}
      </div>
    </Alert>
  );
};
