import type { Metadata } from "next";
import { Suspense } from "react";

import { Dashboard } from "@/components/admin/dashboard/dashboard";
import { DashboardSkeleton } from "@/components/admin/dashboard/dashboard-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import type { TAdminActor } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { readDashboard } from "@/lib/dashboard/read-dashboard";
import { consoleChangedRecently } from "@/lib/read-replica/console-change";

export const metadata: Metadata = { title: "Dashboard" };

const DashboardContent = async ({ actor }: { actor: TAdminActor }) => {
  const now = new Date();
  return <Dashboard dashboard={await readDashboard({ actor, now, primary: await consoleChangedRecently() })} now={now} />;
};

const DashboardPage = async () => {
  const admin = await requireAdminPage("viewer");
  return (
    <>
      <PageHeader title="Dashboard" description="Who was told, who objected, and whether the pipeline got the list." />
      <Suspense fallback={<DashboardSkeleton />}>
        <DashboardContent actor={{ kind: "admin", id: admin.id, role: admin.role }} />
      </Suspense>
    </>
  );
};

export default DashboardPage;
