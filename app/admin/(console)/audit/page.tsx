import type { Metadata } from "next";

import { AuditFilters } from "@/components/admin/audit/audit-filters";
import { AuditTable } from "@/components/admin/audit/audit-table";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { auditActors, listAuditEvents } from "@/lib/audit/list-audit-events";
import { ZAuditFilters } from "@/lib/audit/schema";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { consoleChangedRecently } from "@/lib/read-replica/console-change";

export const metadata: Metadata = { title: "Audit log" };

const AuditPage = async ({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) => {
  const admin = await requireAdminPage("viewer");
  const filters = ZAuditFilters.parse(await searchParams);
  const primary = await consoleChangedRecently();
  const [{ events, nextCursor }, admins] = await Promise.all([listAuditEvents({ actor: admin, filters, primary }), auditActors({ actor: admin, primary })]);
  const query = (after?: string) => {
    const params = new URLSearchParams(Object.entries({ ...filters, after }).filter((entry): entry is [string, string] => !!entry[1]));
    return `/admin/audit${params.size > 0 ? `?${params}` : ""}`;
  };
  const { after, dir = "desc", ...narrowing } = filters;
  return (
    <>
      <PageHeader title="Audit log" description="Every admin action, and what the system did by a rule (a recipient domain paused). It cannot be edited: the database refuses changes and deletions." />
      <AuditFilters filters={filters} admins={admins} />
      <AuditTable events={events} filtered={Object.values(narrowing).some(Boolean)} dir={dir} />
      <KeysetPager firstHref={query()} nextHref={nextCursor ? query(nextCursor) : null} shown={events.length} isFirstPage={!after} />
    </>
  );
};

export default AuditPage;
