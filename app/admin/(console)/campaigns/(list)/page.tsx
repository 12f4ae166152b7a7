import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { CampaignsTable } from "@/components/admin/campaigns/campaigns-table";
import { Button } from "@/components/ui/button";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { hasRole } from "@/lib/auth/roles";
import { listCampaigns } from "@/lib/campaigns/list-campaigns";

export const metadata: Metadata = { title: "Campaigns" };

const CampaignsPage = async ({ searchParams }: { searchParams: Promise<{ after?: string | string[]; dir?: string | string[] }> }) => {
  const admin = await requireAdminPage("viewer");
  const query = await searchParams;
  const cursor = typeof query.after === "string" ? query.after : undefined;
  const dir = query.dir === "asc" ? "asc" : "desc";
  const { campaigns, nextCursor } = await listCampaigns({ actor: admin, after: cursor, dir });
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
      <CampaignsTable campaigns={campaigns} dir={dir} />
      <KeysetPager
        firstHref={`/admin/campaigns?dir=${dir}`}
        nextHref={nextCursor ? `/admin/campaigns?dir=${dir}&after=${encodeURIComponent(nextCursor)}` : null}
        shown={campaigns.length}
        isFirstPage={!cursor}
      />
    </>
  );
};

export default CampaignsPage;
