import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { CampaignsTable } from "@/components/admin/campaigns/campaigns-table";
import { Button } from "@/components/ui/button";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { hasRole } from "@/lib/auth/roles";
import { CAMPAIGN_LIST_FILTERS, listCampaigns, type TCampaignListFilter } from "@/lib/campaigns/list-campaigns";
import { consoleChangedRecently } from "@/lib/read-replica/console-change";

export const metadata: Metadata = { title: "Campaigns" };

const FILTER_TITLES: Record<TCampaignListFilter, string> = {
  attention: "Showing only campaigns that are paused or failed.",
  domains_paused: "Showing only campaigns holding back a recipient domain that refused their emails.",
};

const isFilter = (value: unknown): value is TCampaignListFilter => CAMPAIGN_LIST_FILTERS.includes(value as TCampaignListFilter);

const CampaignsPage = async ({ searchParams }: { searchParams: Promise<{ after?: string | string[]; dir?: string | string[]; status?: string | string[] }> }) => {
  const admin = await requireAdminPage("viewer");
  const query = await searchParams;
  const cursor = typeof query.after === "string" ? query.after : undefined;
  const dir = query.dir === "asc" ? "asc" : "desc";
  // An unknown filter shows every campaign rather than an error: the link came from an older page.
  const filter = isFilter(query.status) ? query.status : undefined;
  const { campaigns, nextCursor } = await listCampaigns({ actor: admin, after: cursor, dir, filter, primary: await consoleChangedRecently() });
  const base = `/admin/campaigns?${filter ? `status=${filter}&` : ""}dir=${dir}`;
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Tell eligible members, by email and in the app, that they can object."
        actions={
          hasRole(admin, "admin") ? (
            <Button asChild>
              <Link href="/admin/campaigns/new">
                <Plus className="h-4 w-4" aria-hidden />
                New campaign
              </Link>
            </Button>
          ) : null
        }
      />
      {filter ? (
        <p className="mb-4 text-sm text-slate-700" role="status">
          {FILTER_TITLES[filter]}{" "}
          <Link href={`/admin/campaigns?dir=${dir}`} className="font-medium text-blue-800 underline underline-offset-2">
            Show all campaigns
          </Link>
        </p>
      ) : null}
      <CampaignsTable campaigns={campaigns} dir={dir} />
      <KeysetPager
        firstHref={base}
        nextHref={nextCursor ? `${base}&after=${encodeURIComponent(nextCursor)}` : null}
        shown={campaigns.length}
        isFirstPage={!cursor}
      />
    </>
  );
};

export default CampaignsPage;
