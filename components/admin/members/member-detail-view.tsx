import { ClipboardList, Inbox } from "lucide-react";
import Link from "next/link";

import { ConsoleTime } from "@/components/admin/console-time";
import { NoticeHistoryTable } from "@/components/admin/notices/notice-history-table";
import { SUPPRESSION_REASON_LABELS } from "@/components/admin/notices/notice-labels";
import { SuppressionAlert } from "@/components/admin/notices/suppression-alert";
import { STATUS_LABELS } from "@/components/admin/objections/objection-labels";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { RowLink } from "@/components/ui/row-link";
import { MASKING_NOTE } from "@/lib/admins/masking";
import type { ObjectionStatus } from "@/lib/generated/prisma/enums";
import type { TMemberDetail } from "@/lib/members/get-member-detail";

const STATUS_TONE: Record<ObjectionStatus, TBadgeTone> = { effective: "success", withdrawn: "neutral", rejected: "danger" };

const Row = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <>
    <dt className="font-medium text-slate-700">{label}</dt>
    <dd className="min-w-0 break-words text-slate-900">{children}</dd>
  </>
);

type TLiftAction = NonNullable<Parameters<typeof SuppressionAlert>[0]["lift"]>["action"];

/**
 * One member: who (the address masked), whether they objected, whether their emails are stopped,
 * and every notice they were sent. `liftAction` is given to a reviewer: it lifts the suppression.
 */
export const MemberDetailView = ({ member, liftAction }: { member: TMemberDetail; liftAction?: TLiftAction }) => {
  const objection = member.objections[0];
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/members" className="text-blue-800 underline hover:text-blue-900">
          ← Find a member
        </Link>
      </p>
      <PageHeader
        title="Member"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono break-all text-slate-900">{member.externalId}</span>
            {objection ? <Badge tone={STATUS_TONE[objection.status]}>Objection {STATUS_LABELS[objection.status].toLowerCase()}</Badge> : <Badge>No objection</Badge>}
            {member.suppression ? <Badge tone="warning">Emails stopped: {SUPPRESSION_REASON_LABELS[member.suppression.reason].toLowerCase()}</Badge> : null}
          </span>
        }
      />
      <SuppressionAlert suppression={member.suppression} notices={member.notices} lift={liftAction ? { memberId: member.id, action: liftAction } : undefined} />

      <div className="grid gap-4 lg:grid-cols-2">
        <Card aria-labelledby="member-title">
          <CardTitle id="member-title">Member</CardTitle>
          <CardDescription>{MASKING_NOTE}</CardDescription>
          <dl className="mt-3 grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 text-sm">
            <Row label="External id">
              <span className="font-mono text-xs break-all" data-testid="member-external-id">
                {member.externalId}
              </span>
            </Row>
            <Row label="Email">
              <span data-testid="member-email">{member.maskedEmail}</span>
            </Row>
            <Row label="Country">{member.country}</Row>
            <Row label="Language">{member.locale ?? <span className="text-slate-600">Not set</span>}</Row>
            <Row label="Known since">
              <ConsoleTime value={member.createdAt} />
            </Row>
          </dl>
        </Card>
        <Card aria-labelledby="objections-title">
          <CardTitle id="objections-title">Objections</CardTitle>
          {member.objections.length === 0 ? (
            <div className="mt-3">
              <EmptyState icon={ClipboardList} title="No objection">
                This member has not objected.
              </EmptyState>
            </div>
          ) : (
            <ul className="mt-3 space-y-2 text-sm" data-testid="member-objections">
              {member.objections.map((item) => (
                <li key={item.id} className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <RowLink href={`/admin/objections/${item.id}`} className="font-mono text-xs text-blue-800 underline hover:text-blue-900">
                    {item.reference}
                  </RowLink>
                  <Badge tone={STATUS_TONE[item.status]}>{STATUS_LABELS[item.status]}</Badge>
                  {item.spam ? <Badge tone="warning">Spam</Badge> : null}
                  <span className="text-slate-600">
                    since <ConsoleTime value={item.effectiveAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card aria-labelledby="notices-title" className="mt-4">
        <CardTitle id="notices-title">Notices</CardTitle>
        <CardDescription>Every notice, newest first, on every channel: the proof of who was told what, and when.</CardDescription>
        <div className="mt-3">
          <NoticeHistoryTable
            notices={member.notices}
            suppressedBy={member.suppression?.notificationId}
            empty={
              <EmptyState icon={Inbox} title="No notices yet">
                This member has not been sent a notice on any channel.
              </EmptyState>
            }
          />
        </div>
      </Card>
    </>
  );
};
