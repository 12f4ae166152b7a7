"use client";

import { AtSign, Search, SearchX } from "lucide-react";
import Link from "next/link";
import { useActionState } from "react";

import { findMemberAction, type TFindMemberState } from "@/app/admin/(console)/members/actions";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FieldError, Input, Label } from "@/components/ui/input";
import { EXTERNAL_ID_MAX_LENGTH } from "@/lib/members/external-id-schema";
import type { TFindMember } from "@/lib/members/find-member-schema";

const FIELD: keyof TFindMember = "externalId";

/**
 * The member lookup. It posts (a server action), so what is typed here never lands in a URL; found,
 * the member's page opens, else the answer shows below. Works without JavaScript.
 */
export const FindMemberForm = () => {
  const [state, action, pending] = useActionState<TFindMemberState, FormData>(findMemberAction, {});
  const invalid = state.outcome === "invalid" ? state.message : undefined;
  return (
    <>
      <form action={action} role="search" aria-label="Find a member" noValidate className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
        <Label htmlFor="member-external-id">External id (exact)</Label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input
            id="member-external-id"
            name={FIELD}
            type="search"
            autoComplete="off"
            spellCheck={false}
            required
            maxLength={EXTERNAL_ID_MAX_LENGTH}
            defaultValue={state.externalId}
            aria-invalid={!!invalid}
            aria-describedby={invalid ? "member-external-id-error" : "member-external-id-help"}
            className="sm:max-w-md"
          />
          <Button type="submit" disabled={pending}>
            <Search className="h-4 w-4" aria-hidden />
            {pending ? "Finding…" : "Find member"}
          </Button>
        </div>
        <FieldError id="member-external-id-error" message={invalid} />
        <p id="member-external-id-help" className="mt-2 text-sm text-slate-600">
          To find someone by email address, search the objections: that search keeps the address out of the URL.
        </p>
      </form>
      <div aria-live="polite">
        {state.outcome === "unknown" ? (
          <EmptyState icon={SearchX} title="No member has this external id">
            Check the id as the platform spells it: the match is exact, capitals included.
          </EmptyState>
        ) : null}
        {state.outcome === "address" ? (
          <EmptyState icon={AtSign} title="Search by external id; addresses are not searched here">
            No member has this as an external id, and it looks like an email address. To find someone by address,{" "}
            <Link href="/admin/objections" className="font-medium text-slate-900 underline">
              search the objections
            </Link>
            : that search keeps the address out of the URL.
          </EmptyState>
        ) : null}
      </div>
    </>
  );
};
