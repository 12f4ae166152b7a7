import type { Metadata } from "next";

import { SuppressionFilterForm } from "@/components/admin/suppressions/suppression-filter-form";
import { SuppressionsTable } from "@/components/admin/suppressions/suppressions-table";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { listSuppressions } from "@/lib/suppressions/list-suppressions";
import { ZSuppressionFilters } from "@/lib/suppressions/schema";

export const metadata: Metadata = { title: "Suppressions" };

const SuppressionsPage = async ({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) => {
  const admin = await requireAdminPage("viewer");
  const filters = ZSuppressionFilters.parse(await searchParams);
  const { suppressions, nextCursor } = await listSuppressions({ actor: admin, filters });
  const query = (after?: string) => {
    const params = new URLSearchParams(Object.entries({ reason: filters.reason, after }).filter((entry): entry is [string, string] => !!entry[1]));
    return `/admin/suppressions${params.size > 0 ? `?${params}` : ""}`;
  };
  return (
    <>
      <PageHeader
        title="Suppressions"
        description="Members who get no more email notices: after a hard bounce, a complaint, or a press on “stop these emails”. They are kept, and in-app notices still reach them. Listed in member id order, so every page opens as fast as the first."
      />
      <SuppressionFilterForm filters={filters} />
      <SuppressionsTable suppressions={suppressions} filtered={!!filters.reason} isFirstPage={!filters.after} />
      <KeysetPager firstHref={query()} nextHref={nextCursor ? query(nextCursor) : null} shown={suppressions.length} isFirstPage={!filters.after} />
    </>
  );
};

export default SuppressionsPage;
