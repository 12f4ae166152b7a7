import { Download, Upload } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { CsvWithAddressesDialog } from "@/components/admin/objections/csv-with-addresses-dialog";
import { ObjectionFilterForm } from "@/components/admin/objections/objection-filter-form";
import { SOURCE_LABELS, STATUS_LABELS } from "@/components/admin/objections/objection-labels";
import { ObjectionsTable } from "@/app/admin/(console)/objections/(queue)/_components/objections-table";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { MASKING_NOTE } from "@/lib/admins/masking";
import { isAppError } from "@/lib/errors/app-error";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { hasRole } from "@/lib/auth/roles";
import { listObjections } from "@/lib/objections/list-objections";
import { objectionFiltersHref, readObjectionFilters } from "@/lib/objections/objection-filters-url";
import { consoleChangedRecently } from "@/lib/read-replica/console-change";

export const metadata: Metadata = { title: "Objections" };

const PATH = "/admin/objections";

const ObjectionsPage = async ({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) => {
  const admin = await requireAdminPage("viewer");
  const read = readObjectionFilters(await searchParams);
  const { filters, sealedSearch } = read;
  const primary = await consoleChangedRecently();
  let problem = read.ok ? undefined : read.message;
  let cursor = read.cursor;
  let page;
  try {
    page = await listObjections({ actor: admin, filters, cursor, primary });
  } catch (error) {
    if (!isAppError(error, "invalid") && !isAppError(error, "forbidden")) throw error;
    problem = error.userMessage;
    cursor = undefined;
    // A viewer's search by address is refused (it needs the reviewer role): the rest of the filters still apply.
    page = await listObjections({ actor: admin, filters: error.code === "forbidden" ? { ...filters, q: undefined } : filters, primary });
  }

  return (
    <>
      <PageHeader
        title="Objections"
        description={`Every objection, newest first. ${MASKING_NOTE}`}
        actions={
          <>
            {hasRole(admin, "reviewer") ? (
              <>
                <Button asChild variant="secondary">
                  <a href={objectionFiltersHref(`${PATH}/download`, filters, { sealedSearch })} download>
                    <Download className="h-4 w-4" aria-hidden />
                    Download CSV (no addresses)
                  </a>
                </Button>
                <CsvWithAddressesDialog action={objectionFiltersHref(`${PATH}/download`, filters, { sealedSearch })} />
              </>
            ) : null}
            {hasRole(admin, "admin") ? (
              <Button asChild variant="secondary">
                <Link href={`${PATH}/import`}>
                  <Upload className="h-4 w-4" aria-hidden />
                  Import earlier objections
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      <ObjectionFilterForm filters={filters} />
      {problem ? (
        <Alert tone="warning" title="Some filters were not applied" role="alert" className="mb-4">
          {problem}
        </Alert>
      ) : null}
      <ObjectionsTable
        rows={page.rows}
        sort={{ key: filters.sort, dir: filters.dir }}
        canAct={hasRole(admin, "reviewer")}
        sourceLabels={SOURCE_LABELS}
        statusLabels={STATUS_LABELS}
      />
      <KeysetPager
        firstHref={objectionFiltersHref(PATH, filters, { sealedSearch })}
        nextHref={page.nextCursor ? objectionFiltersHref(PATH, filters, { sealedSearch, cursor: page.nextCursor }) : null}
        shown={page.rows.length}
        isFirstPage={!cursor}
      />
    </>
  );
};

export default ObjectionsPage;
