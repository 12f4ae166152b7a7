import type { Metadata } from "next";

import { ExportRunsTable } from "@/components/admin/exports/export-runs-table";
import { StartExportPanel } from "@/components/admin/exports/start-export-panel";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { hasRole } from "@/lib/auth/roles";
import { exportConfigurationProblem } from "@/lib/exports/export-configuration-problem";
import { listExportRuns } from "@/lib/exports/list-export-runs";

export const metadata: Metadata = { title: "Exports" };

const ExportsPage = async ({ searchParams }: { searchParams: Promise<{ after?: string | string[]; dir?: string | string[] }> }) => {
  const admin = await requireAdminPage("viewer");
  const query = await searchParams;
  const cursor = typeof query.after === "string" ? query.after : undefined;
  const dir = query.dir === "asc" ? "asc" : "desc";
  const { runs, nextCursor } = await listExportRuns({ actor: admin, after: cursor, dir });
  const isAdmin = hasRole(admin, "admin");
  return (
    <>
      <PageHeader title="Exports" description="The nightly runs that hand the training pipeline its list of objectors: a snapshot, then deltas." />
      <div className="mb-6">
        <StartExportPanel canStart={isAdmin} notConfigured={exportConfigurationProblem()} />
      </div>
      <ExportRunsTable runs={runs} canDownload={isAdmin} dir={dir} />
      <KeysetPager
        firstHref={`/admin/exports?dir=${dir}`}
        nextHref={nextCursor ? `/admin/exports?dir=${dir}&after=${encodeURIComponent(nextCursor)}` : null}
        shown={runs.length}
        isFirstPage={!cursor}
      />
    </>
  );
};

export default ExportsPage;
