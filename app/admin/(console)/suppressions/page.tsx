import type { Metadata } from "next";

import { SuppressionFilterForm } from "@/components/admin/suppressions/suppression-filter-form";
import { SuppressionsTable } from "@/components/admin/suppressions/suppressions-table";
import { Alert } from "@/components/ui/alert";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { consoleChangedRecently } from "@/lib/read-replica/console-change";
import { listSuppressions } from "@/lib/suppressions/list-suppressions";
import { readSuppressionFilters } from "@/lib/suppressions/schema";

export const metadata: Metadata = { title: "Suppressions" };

const SuppressionsPage = async ({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) => {
  const admin = await requireAdminPage("viewer");
  const { filters, problem } = readSuppressionFilters(await searchParams);
  const { suppressions, nextCursor } = await listSuppressions({ actor: admin, filters, primary: await consoleChangedRecently() });
  const query = (after?: string) => {
    const params = new URLSearchParams(Object.entries({ reason: filters.reason, after }).filter((entry): entry is [string, string] => !!entry[1]));
    return `/admin/suppressions${params.size > 0 ? `?${params}` : ""}`;
  };
  return (
    <>
      <PageHeader
        title="Suppressions"
        description="Members who get no more email notices: after a hard bounce, a complaint, or a press on “stop these emails”. They are kept, and in-app notices still reach them. Newest first."
      />
      <SuppressionFilterForm filters={filters} />
      {problem ? (
        <Alert tone="warning" title="Page link not used" role="alert" className="mb-4">
          {problem}
        </Alert>
      ) : null}
      <SuppressionsTable suppressions={suppressions} filtered={!!filters.reason} isFirstPage={!filters.after} />
      <KeysetPager firstHref={query()} nextHref={nextCursor ? query(nextCursor) : null} shown={suppressions.length} isFirstPage={!filters.after} />
    </>
  );
};

export default SuppressionsPage;
