import { Search, SearchX } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { findMemberByExternalId } from "@/lib/members/find-member-by-external-id";

export const metadata: Metadata = { title: "Members" };

// Only an external id travels in this URL: an address never does (the objections search seals those).
const MembersPage = async ({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) => {
  const admin = await requireAdminPage("viewer");
  const { externalId: raw } = await searchParams;
  const externalId = typeof raw === "string" ? raw : "";
  const found = externalId.trim() ? await findMemberByExternalId({ actor: admin, externalId }) : null;
  if (found) redirect(`/admin/members/${found.id}`);
  return (
    <>
      <PageHeader title="Members" description="Open a member by the id the platform gave them: their objection, whether their emails are stopped, and every notice they were sent." />
      <form method="get" action="/admin/members" role="search" aria-label="Find a member" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
        <Label htmlFor="member-external-id">External id (exact)</Label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input id="member-external-id" name="externalId" type="search" autoComplete="off" spellCheck={false} required maxLength={200} defaultValue={externalId} className="sm:max-w-md" />
          <Button type="submit">
            <Search className="h-4 w-4" aria-hidden />
            Find member
          </Button>
        </div>
        <p className="mt-2 text-sm text-slate-600">To find someone by email address, search the objections: that search keeps the address out of the URL.</p>
      </form>
      {externalId.trim() ? (
        <EmptyState icon={SearchX} title="No member has this external id">
          Check the id as the platform spells it: the match is exact, capitals included.
        </EmptyState>
      ) : null}
    </>
  );
};

export default MembersPage;
