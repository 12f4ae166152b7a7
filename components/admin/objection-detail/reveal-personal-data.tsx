"use client";

import { Eye } from "lucide-react";
import Link from "next/link";

import { ActionMessage } from "@/components/admin/objection-detail/action-message";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { useAdminAction } from "@/components/admin/objection-detail/use-admin-action";
import { Button } from "@/components/ui/button";
import type { TRevealedObjection } from "@/lib/objections/admin/reveal-objection";

type TRevealPersonalDataProps = {
  objectionId: string;
  reveal: TAdminActionFn<TRevealedObjection>;
  maskedEmail: string;
  hasReason: boolean;
  /** The matched member: its external id is shown as it is (lib/admins/masking.ts). */
  member: { id: string; externalId: string } | null;
  canReveal: boolean;
};

/** The person's data stays masked until a reviewer asks for it; the server audits every reveal before answering. */
export const RevealPersonalData = ({
  objectionId,
  reveal,
  maskedEmail,
  hasReason,
  member,
  canReveal,
}: TRevealPersonalDataProps) => {
  const { pending, result, run } = useAdminAction(reveal);
  const revealed = result?.ok ? result.data : undefined;
  return (
    <div>
      <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-medium text-slate-700">Email</dt>
        <dd className="break-all text-slate-900" data-testid="objection-email">
          {revealed ? revealed.email : maskedEmail}
        </dd>
        <dt className="font-medium text-slate-700">Member external id</dt>
        <dd
          className="break-all text-slate-900"
          data-testid="objection-external-id"
        >
          {member ? (
            <Link href={`/admin/members/${member.id}`} className="font-mono text-blue-800 underline">
              {member.externalId}
            </Link>
          ) : (
            "Not matched"
          )}
        </dd>
        <dt className="font-medium text-slate-700">Reason given</dt>
        <dd
          className="whitespace-pre-wrap text-slate-900"
          data-testid="objection-reason"
        >
          {revealed
            ? (revealed.reason ?? "None")
            : hasReason
              ? "Given (hidden until revealed)"
              : "None"}
        </dd>
      </dl>
      {canReveal && !revealed ? (
        <div className="mt-4 flex flex-wrap items-center gap-3">
          <Button
            type="button"
            variant="secondary"
            size="sm"
            disabled={pending}
            onClick={() => run({ objectionId })}
          >
            <Eye className="h-4 w-4" aria-hidden />
            {pending ? "Revealing…" : "Reveal personal data"}
          </Button>
          <p className="text-sm text-slate-600">
            Each reveal is recorded in the audit log.
          </p>
        </div>
      ) : null}
      {result && !result.ok ? <ActionMessage result={result} /> : null}
      {revealed ? (
        <p role="status" className="mt-3 text-sm text-slate-600">
          Revealed and recorded in the audit log. Reload the page to mask it
          again.
        </p>
      ) : null}
    </div>
  );
};
