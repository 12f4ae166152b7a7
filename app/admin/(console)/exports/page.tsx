import type { Metadata } from "next";

import { ExportRunsTable } from "@/components/admin/exports/export-runs-table";
import { StartExportPanel } from "@/components/admin/exports/start-export-panel";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { hasRole } from "@/lib/auth/roles";
import { ExportNotConfiguredError, exportSettings } from "@/lib/exports/export-settings";
import { listExportRuns } from "@/lib/exports/list-export-runs";

export const metadata: Metadata = { title: "Exports" };

const notConfiguredMessage = () => {
  try {
    exportSettings();
    return null;
  } catch (error) {
    if (error instanceof ExportNotConfiguredError) return error.message;
    throw error;
  }
};

const ExportsPage = async ({ searchParams }: { searchParams: Promise<{ after?: string | string[] }> }) => {
  const admin = await requireAdminPage("viewer");
  const after = (await searchParams).after;
  const cursor = typeof after === "string" ? after : undefined;
  const { runs, nextCursor } = await listExportRuns({ actor: admin, after: cursor });
  const isAdmin = hasRole(admin, "admin");
  return (
    <>
      <PageHeader title="Exports" description="The nightly runs that hand the training pipeline its list of objectors: a snapshot, then deltas." />
      <div className="mb-6">
        <StartExportPanel canStart={isAdmin} notConfigured={notConfiguredMessage()} />
      </div>
      <ExportRunsTable runs={runs} canDownload={isAdmin} />
      <KeysetPager firstHref="/admin/exports" nextHref={nextCursor ? `/admin/exports?after=${encodeURIComponent(nextCursor)}` : null} shown={runs.length} isFirstPage={!cursor} />
    </>
  );
};

export default ExportsPage;
