import type { Metadata } from "next";

import { TeamView } from "@/app/admin/(console)/team/_components/team-view";
import { PageHeader } from "@/components/ui/page-header";
import { listAdmins } from "@/lib/admins/list-admins";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { consoleChangedRecently } from "@/lib/read-replica/console-change";

export const metadata: Metadata = { title: "Team" };

const TeamPage = async () => {
  const admin = await requireAdminPage("admin");
  const team = await listAdmins({ actor: admin, primary: await consoleChangedRecently() });
  return (
    <>
      <PageHeader title="Team" description="Who can sign in, with which role. Every invitation, role change and removal is in the audit log." />
      <TeamView team={team} selfId={admin.id} />
    </>
  );
};

export default TeamPage;
