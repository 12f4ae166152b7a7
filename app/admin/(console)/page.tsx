import type { Metadata } from "next";

import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";

export const metadata: Metadata = { title: "Dashboard" };

const DashboardPage = async () => {
  await requireAdminPage("viewer");
  return <PageHeader title="Dashboard" description="Who was told, who objected, and whether the pipeline got the list." />;
};

export default DashboardPage;
