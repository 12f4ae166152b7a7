import type { Metadata } from "next";

import { SessionsView } from "@/app/admin/(console)/sessions/_components/sessions-view";
import { PageHeader } from "@/components/ui/page-header";
import { listOwnSessions } from "@/lib/admins/list-own-sessions";
import { currentSessionToken } from "@/lib/auth/current-session-token";
import { requireAdminPage } from "@/lib/auth/require-admin-page";

export const metadata: Metadata = { title: "Your sessions" };

const SessionsPage = async () => {
  const admin = await requireAdminPage("viewer");
  const sessions = await listOwnSessions({ actor: admin, currentSessionToken: await currentSessionToken() });
  return (
    <>
      <PageHeader title="Your sessions" description="Every browser signed in as you. End one you do not recognise or no longer use; ending this one signs you out here. Each end is in the audit log." />
      <SessionsView sessions={sessions} />
    </>
  );
};

export default SessionsPage;
