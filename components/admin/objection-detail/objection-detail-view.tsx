import { History, Inbox, Users } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";

import { NoticeHistoryTable } from "@/components/admin/notices/notice-history-table";
import { SuppressionAlert } from "@/components/admin/notices/suppression-alert";
import { MatchDialog } from "@/components/admin/objection-detail/match-dialog";
import {
  EVENT_LABELS,
  formatDateTime,
  SOURCE_LABELS,
} from "@/components/admin/objection-detail/format";
import { NoteForm } from "@/components/admin/objection-detail/note-form";
import type { TObjectionDetailActions } from "@/components/admin/objection-detail/objection-detail-actions";
import {
  PendingRejectionControls,
  RequestRejectionDialog,
} from "@/components/admin/objection-detail/rejection-controls";
import { RevealPersonalData } from "@/components/admin/objection-detail/reveal-personal-data";
import { SpamDialog } from "@/components/admin/objection-detail/spam-dialog";
import { Alert } from "@/components/ui/alert";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import type { TMemberNotices } from "@/lib/notifications/member-notice-history";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

const STATUS_TONE: Record<TObjectionDetail["status"], TBadgeTone> = {
  effective: "success",
  withdrawn: "neutral",
  rejected: "danger",
};

const TableShell = ({
  caption,
  children,
}: {
  caption: string;
  children: ReactNode;
}) => (
  <div className="mt-3 overflow-x-auto rounded-md border border-slate-200">
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      {children}
    </table>
  </div>
);

const Th = ({ children }: { children: ReactNode }) => (
  <th
    scope="col"
    className="bg-slate-50 px-3 py-2 font-medium whitespace-nowrap text-slate-700"
  >
    {children}
  </th>
);

const Td = ({ children }: { children: ReactNode }) => (
  <td className="border-t border-slate-200 px-3 py-2 whitespace-nowrap text-slate-900">
    {children}
  </td>
);

const Time = ({ date }: { date: Date | null }) =>
  date ? (
    <time dateTime={date.toISOString()}>{formatDateTime(date)}</time>
  ) : (
    <span aria-label="none">—</span>
  );

/** The objection detail page's body: who objected (masked), what happened, what they were told, and what a reviewer can do. */
export const ObjectionDetailView = ({
  detail,
  member,
  actorId,
  actions,
}: {
  detail: TObjectionDetail;
  /** The matched member's notices and suppression (their external id is withheld here); null while unmatched. */
  member: Omit<TMemberNotices, "externalId"> | null;
  actorId: string;
  /** The route's server actions, handed to the dialog that runs each. */
  actions: TObjectionDetailActions;
}) => {
  const pending = detail.status === "effective" && detail.rejection;
  const isRequester = detail.rejection?.requestedById === actorId;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link
          href="/admin/objections"
          className="text-blue-800 underline hover:text-blue-900"
        >
          ← All objections
        </Link>
      </p>
      <PageHeader
        title={`Objection ${detail.reference}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[detail.status]}>{detail.status}</Badge>
            {detail.spamAt ? (
              <Badge tone="warning">Marked as spam</Badge>
            ) : null}
            {pending ? <Badge tone="warning">Rejection pending</Badge> : null}
            <Badge>{detail.matched ? "Matched" : "Unmatched"}</Badge>
          </span>
        }
      />

      {pending && detail.rejection ? (
        <Alert
          tone="warning"
          title={`Rejection requested by ${detail.rejection.requestedByLabel}, waiting for a second reviewer`}
          className="mb-4"
        >
          <p>
            Requested <Time date={detail.rejection.requestedAt} />. The
            objection stays effective until another reviewer approves.
          </p>
          <p className="mt-2 font-medium">Reason the person will receive:</p>
          <blockquote
            className="mt-1 border-l-4 border-amber-400 pl-3 whitespace-pre-wrap"
            data-testid="pending-rejection-reason"
          >
            {detail.rejection.reason}
          </blockquote>
          {detail.can.act ? (
            <PendingRejectionControls
              objectionId={detail.id}
              approveRejection={actions.approveRejection}
              cancelRejection={actions.cancelRejection}
              canApprove={detail.can.approveRejection}
              canCancel={detail.can.cancelRejection}
              isRequester={isRequester}
            />
          ) : null}
        </Alert>
      ) : null}
      {detail.status === "rejected" && detail.rejection ? (
        <Alert tone="danger" title="Rejected" className="mb-4">
          <p>
            Rejected <Time date={detail.rejectedAt} />. The person was emailed
            this reason; the objection leaves the export at its next run.
          </p>
          <blockquote className="mt-1 border-l-4 border-red-300 pl-3 whitespace-pre-wrap">
            {detail.rejection.reason}
          </blockquote>
        </Alert>
      ) : null}
      {detail.spamAt ? (
        <Alert tone="info" className="mb-4">
          Marked as spam <Time date={detail.spamAt} />. It stays effective and
          in the export: leaving someone out of AI training by mistake harms no
          one.
        </Alert>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <Card aria-labelledby="person-title">
          <CardTitle id="person-title">Person</CardTitle>
          <CardDescription>
            Personal data is masked until a reviewer reveals it.
          </CardDescription>
          <div className="mt-3">
            <RevealPersonalData
              objectionId={detail.id}
              reveal={actions.reveal}
              maskedEmail={detail.maskedEmail}
              hasReason={detail.hasReason}
              matched={detail.matched}
              canReveal={detail.can.reveal}
            />
          </div>
        </Card>
        <Card aria-labelledby="objection-title">
          <CardTitle id="objection-title">Objection</CardTitle>
          <dl className="mt-3 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-700">Status</dt>
            <dd className="text-slate-900">{detail.status}</dd>
            <dt className="font-medium text-slate-700">Source</dt>
            <dd className="text-slate-900">
              {SOURCE_LABELS[detail.source] ?? detail.source}
            </dd>
            <dt className="font-medium text-slate-700">Country</dt>
            <dd className="text-slate-900">{detail.country}</dd>
            <dt className="font-medium text-slate-700">Effective since</dt>
            <dd className="text-slate-900">
              <Time date={detail.effectiveAt} />
            </dd>
            {detail.withdrawnAt ? (
              <>
                <dt className="font-medium text-slate-700">Withdrawn</dt>
                <dd className="text-slate-900">
                  <Time date={detail.withdrawnAt} />
                </dd>
              </>
            ) : null}
            <dt className="font-medium text-slate-700">Id</dt>
            <dd className="font-mono text-xs break-all text-slate-900">
              {detail.id}
            </dd>
          </dl>
        </Card>
      </div>

      {detail.can.act ? (
        <Card aria-labelledby="actions-title" className="mt-4">
          <CardTitle id="actions-title">Actions</CardTitle>
          <CardDescription>
            Every action is recorded on the timeline and in the audit log.
          </CardDescription>
          <div className="mt-3 flex flex-wrap items-start gap-2">
            {detail.can.match ? <MatchDialog objectionId={detail.id} match={actions.match} /> : null}
            {detail.can.markSpam ? (
              <SpamDialog objectionId={detail.id} markSpam={actions.markSpam} />
            ) : null}
            {detail.can.requestRejection ? (
              <RequestRejectionDialog objectionId={detail.id} requestRejection={actions.requestRejection} />
            ) : null}
          </div>
          <div className="mt-5 max-w-xl">
            <NoteForm objectionId={detail.id} addNote={actions.addNote} />
          </div>
        </Card>
      ) : null}

      <Card aria-labelledby="timeline-title" className="mt-4">
        <CardTitle id="timeline-title">Timeline</CardTitle>
        {detail.timeline.length === 0 ? (
          <div className="mt-3">
            <EmptyState icon={History} title="Nothing recorded yet" />
          </div>
        ) : (
          <ol className="mt-3 space-y-3" data-testid="timeline">
            {detail.timeline.map((event) => (
              <li
                key={event.id}
                className="border-l-2 border-slate-300 pl-3 text-sm"
              >
                <p className="font-medium text-slate-900">
                  {EVENT_LABELS[event.type] ?? event.type}
                </p>
                <p className="text-slate-600">
                  <Time date={event.createdAt} /> · {event.actorLabel}
                </p>
                {event.text ? (
                  <p className="mt-1 whitespace-pre-wrap text-slate-800">
                    {event.text}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Card>

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

      <Card aria-labelledby="related-title" className="mt-4">
        <CardTitle id="related-title">
          Other objections with the same email
        </CardTitle>
        {detail.related.length === 0 ? (
          <div className="mt-3">
            <EmptyState icon={Users} title="None" />
          </div>
        ) : (
          <TableShell caption="Other objections with the same email">
            <thead>
              <tr>
                <Th>Objection</Th>
                <Th>Status</Th>
                <Th>Source</Th>
                <Th>Country</Th>
                <Th>Effective since</Th>
                <Th>Matched</Th>
              </tr>
            </thead>
            <tbody>
              {detail.related.map((other) => (
                <tr key={other.id}>
                  <Td>
                    <Link
                      href={`/admin/objections/${other.id}`}
                      className="text-blue-800 underline hover:text-blue-900"
                    >
                      {other.reference}
                    </Link>
                  </Td>
                  <Td>{other.status}</Td>
                  <Td>{SOURCE_LABELS[other.source] ?? other.source}</Td>
                  <Td>{other.country}</Td>
                  <Td>
                    <Time date={other.effectiveAt} />
                  </Td>
                  <Td>{other.matched ? "Yes" : "No"}</Td>
                </tr>
              ))}
            </tbody>
          </TableShell>
        )}
      </Card>
    </>
  );
};
