"use client";

import { Link2, Search } from "lucide-react";
import Link from "next/link";
import { useState } from "react";

import { ActionDialog, ActionDialogButtons, ActionDialogSuccess, ActionDialogTrigger, useActionDialog } from "@/components/admin/objection-detail/action-dialog";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { useAdminAction } from "@/components/admin/objection-detail/use-admin-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ReasonField } from "@/components/admin/reason-field";
import { FieldError, Input, Label } from "@/components/ui/input";
import type { TMatchPreview } from "@/lib/objections/admin/preview-match";
import { MATCH_REASON_MAX, ZObjectionMatch } from "@/lib/objections/admin/schema";

const STATUS_WORDS = { effective: "effective", withdrawn: "withdrawn", rejected: "rejected" } as const;

/** The member a reviewer found, as the console shows a person (lib/admins/masking.ts): address masked, the rest as stored. */
const MemberPreview = ({ preview }: { preview: TMatchPreview }) => (
  <div className="mt-4 rounded-md border border-slate-200 p-3" data-testid="match-preview">
    <p className="text-sm font-semibold text-slate-900">The member</p>
    <dl className="mt-2 grid grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
      <dt className="font-medium text-slate-700">External id</dt>
      <dd className="font-mono break-all text-slate-900">{preview.externalId}</dd>
      <dt className="font-medium text-slate-700">Email</dt>
      <dd className="break-all text-slate-900">{preview.maskedEmail}</dd>
      <dt className="font-medium text-slate-700">Country</dt>
      <dd className="text-slate-900">{preview.country}</dd>
      <dt className="font-medium text-slate-700">Language</dt>
      <dd className="text-slate-900">{preview.language ?? "Not given"}</dd>
      <dt className="font-medium text-slate-700">Objections</dt>
      <dd className="text-slate-900">
        {preview.objections.length === 0 ? (
          "None"
        ) : (
          <ul>
            {preview.objections.map((other) => (
              <li key={other.id}>
                <Link href={`/admin/objections/${other.id}`} className="font-mono text-blue-800 underline">
                  {other.reference}
                </Link>{" "}
                ({STATUS_WORDS[other.status]})
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  </div>
);

/**
 * Links an objection made without an account to a member: the reviewer finds the member by the
 * platform's external id, sees who that is and how they differ from the objection, and matches,
 * with a typed reason when the address or the country differs. The server checks the same again.
 */
export const MatchDialog = ({ objectionId, match, previewMatch }: { objectionId: string; match: TAdminActionFn; previewMatch: TAdminActionFn<TMatchPreview> }) => {
  const [externalId, setExternalId] = useState("");
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const dialog = useActionDialog(match);
  const lookup = useAdminAction(previewMatch);
  const preview = lookup.result?.ok && lookup.result.data?.externalId === externalId.trim() ? lookup.result.data : undefined;
  const idError = lookup.errorFor("memberExternalId") ?? (preview ? undefined : dialog.fieldError("memberExternalId"));
  const needsReason = !!preview && preview.differences.length > 0;
  const matchError = dialog.result && !dialog.result.ok ? (dialog.fieldError("reason") ?? dialog.result.message) : undefined;

  const onOpenChange = (open: boolean) => {
    dialog.onOpenChange(open);
    if (open) lookup.reset();
  };
  const find = () => lookup.run({ objectionId, memberExternalId: externalId });
  const submit = () => {
    if (!preview) return find();
    // The form's own schema first; the server decides again whether the member differs.
    const parsed = ZObjectionMatch.safeParse({ objectionId, memberExternalId: externalId, reason });
    if (!parsed.success) return setReasonError(parsed.error.issues[0]?.message);
    if (needsReason && !reason.trim()) return setReasonError("Write why this is the same person: the member differs from the objection.");
    setReasonError(undefined);
    dialog.runAndClose({ objectionId, memberExternalId: externalId, reason: needsReason ? reason : undefined });
  };

  return (
    <div>
      <ActionDialog
        state={{ ...dialog, onOpenChange }}
        trigger={<ActionDialogTrigger icon={Link2}>Match to a member</ActionDialogTrigger>}
        title="Match to a member"
        description="Find the member by the platform's external id and check that they are the person who objected. The objection keeps the country the person gave."
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Label htmlFor="match-external-id">Member external id</Label>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Input
              id="match-external-id"
              name="memberExternalId"
              autoComplete="off"
              value={externalId}
              onChange={(event) => setExternalId(event.target.value)}
              aria-invalid={!!idError}
              aria-describedby={idError ? "match-external-id-error" : undefined}
            />
            <Button type="button" variant="secondary" size="sm" className="h-10 shrink-0" disabled={lookup.pending} onClick={find}>
              <Search className="h-4 w-4" aria-hidden />
              {lookup.pending ? "Finding…" : "Find member"}
            </Button>
          </div>
          <FieldError id="match-external-id-error" message={idError} />
          {preview ? <MemberPreview preview={preview} /> : null}
          {preview && preview.warnings.length > 0 ? (
            <Alert tone="warning" title={preview.blocked ? "This match is not possible" : "Check that this is the same person"} role="alert" className="mt-3">
              <ul className="list-disc space-y-1 pl-4" data-testid="match-warnings">
                {preview.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {preview && !preview.blocked && preview.differences.length === 0 ? (
            <p className="mt-3 text-sm text-slate-700" role="status">
              The member&apos;s address and country are the objection&apos;s.
            </p>
          ) : null}
          {needsReason && !preview.blocked ? (
            <div className="mt-3">
              <ReasonField id="match-reason" label="Why is this the same person? (kept in the audit log)" value={reason} onChange={setReason} maxLength={MATCH_REASON_MAX} error={reasonError} />
            </div>
          ) : null}
          {matchError && preview ? <FieldError id="match-error" message={matchError} /> : null}
          <ActionDialogButtons>
            {preview ? (
              <Button type="submit" size="sm" disabled={dialog.pending || preview.blocked}>
                {dialog.pending ? "Matching…" : "Match"}
              </Button>
            ) : null}
          </ActionDialogButtons>
        </form>
      </ActionDialog>
      <ActionDialogSuccess state={dialog} />
    </div>
  );
};
