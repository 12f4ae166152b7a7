import { Inbox } from "lucide-react";
import Link from "next/link";

import { NoticeHistoryTable } from "@/components/admin/notices/notice-history-table";
import { SuppressionAlert } from "@/components/admin/notices/suppression-alert";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { TMemberNotices } from "@/lib/notifications/member-notice-history";

/** The notices the matched member received (proof of notice); an empty state while unmatched. */
export const NoticesCard = ({
  member,
}: {
  member: Omit<TMemberNotices, "externalId"> | null;
}) => (
  <Card aria-labelledby="notices-title" className="mt-4">
    <CardTitle id="notices-title">Notices this member received</CardTitle>
    {member ? (
      <>
        <CardDescription>
          Every notice, newest first, on every channel.{" "}
          <Link
            href={`/admin/members/${member.memberId}`}
            className="text-blue-800 underline hover:text-blue-900"
          >
            Open the member page
          </Link>
        </CardDescription>
        <div className="mt-3">
          <SuppressionAlert
            suppression={member.suppression}
            notices={member.notices}
          />
          <NoticeHistoryTable
            notices={member.notices}
            suppressedBy={member.suppression?.notificationId}
          />
        </div>
      </>
    ) : (
      <div className="mt-3">
        <EmptyState icon={Inbox} title="Not matched to a member">
          Notices are listed once the objection is matched.
        </EmptyState>
      </div>
    )}
  </Card>
);
