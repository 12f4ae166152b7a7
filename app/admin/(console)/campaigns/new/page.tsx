import type { Metadata } from "next";

import { CampaignForm } from "@/components/admin/campaigns/campaign-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { eeaCountryOptions } from "@/lib/members/country-options";

export const metadata: Metadata = { title: "New campaign" };

const NewCampaignPage = async () => {
  await requireAdminPage("admin");
  return (
    <>
      <PageHeader title="New campaign" description="It starts as a draft: preview it and send yourself a test before you launch." />
      <Card>
        <CampaignForm countryOptions={eeaCountryOptions("en")} />
      </Card>
    </>
  );
};

export default NewCampaignPage;
