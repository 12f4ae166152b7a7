import type { Metadata } from "next";

import { CampaignForm } from "@/app/admin/(console)/campaigns/new/_components/campaign-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { doneCampaigns } from "@/lib/campaigns/done-campaigns";
import { eeaCountryOptions } from "@/lib/members/country-options";

export const metadata: Metadata = { title: "New campaign" };

const NewCampaignPage = async () => {
  const admin = await requireAdminPage("admin");
  const done = await doneCampaigns({ actor: admin });
  // The finishing day tells apart campaigns of the same name; ISO, as the page renders on the server.
  const followUpOptions = done.map(({ id, name, completedAt }) => ({ id, label: completedAt ? `${name} (finished ${completedAt.toISOString().slice(0, 10)})` : name }));
  return (
    <>
      <PageHeader title="New campaign" description="It starts as a draft: preview it and send yourself a test before you launch." />
      <Card>
        <CampaignForm countryOptions={eeaCountryOptions("en")} followUpOptions={followUpOptions} />
      </Card>
    </>
  );
};

export default NewCampaignPage;
