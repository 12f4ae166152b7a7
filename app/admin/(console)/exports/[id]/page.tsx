import type { Metadata } from "next";
import Link from "next/link";

import { ExportRunsTable } from "@/components/admin/exports/export-runs-table";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { hasRole } from "@/lib/auth/roles";
import { orNotFound } from "@/lib/errors/or-not-found";
import { getExportRun } from "@/lib/exports/get-export-run";

export const metadata: Metadata = { title: "Export run" };

/** One export run, as the runs table shows it: where the audit log's "Export run" leads. */
const ExportRunPage = async ({ params }: { params: Promise<{ id: string }> }) => {
  const admin = await requireAdminPage("viewer");
  const { id } = await params;
  const run = await orNotFound(getExportRun({ actor: admin, runId: id }));
  return (
    <>
      <PageHeader title="Export run" description="One run of the export: its files, their checksums, and whether the pipeline acknowledged it." />
      <ExportRunsTable runs={[run]} canDownload={hasRole(admin, "admin")} dir="desc" />
      <p className="mt-4 text-sm">
        <Link href="/admin/exports" className="text-blue-800 underline">
          All export runs
        </Link>
      </p>
    </>
  );
};

export default ExportRunPage;
