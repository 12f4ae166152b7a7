import { notFound } from "next/navigation";
import type { ReactNode } from "react";

import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { ZCampaignId } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";

// Checked above the page's loading boundary, so an unknown campaign answers a real 404 (a streamed notFound() answers 200).
const CampaignLayout = async ({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) => {
  await requireAdminPage("viewer");
  const id = ZCampaignId.safeParse((await params).id);
  if (!id.success || !(await db().campaign.findUnique({ where: { id: id.data }, select: { id: true } }))) notFound();
  return children;
};

export default CampaignLayout;
