import type { Metadata } from "next";

import { FindMemberForm } from "@/app/admin/(console)/members/_components/find-member-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";

export const metadata: Metadata = { title: "Members" };

// The lookup posts (a server action): nothing typed into it travels in this page's URL.
const MembersPage = async () => {
  await requireAdminPage("viewer");
  return (
    <>
      <PageHeader title="Members" description="Open a member by the id the platform gave them: their objection, whether their emails are stopped, and every notice they were sent." />
      <FindMemberForm />
    </>
  );
};

export default MembersPage;
