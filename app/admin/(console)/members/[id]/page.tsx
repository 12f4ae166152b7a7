import type { Metadata } from "next";

import { liftSuppressionAction } from "@/app/admin/(console)/members/actions";
import { MemberDetailView } from "@/components/admin/members/member-detail-view";
import { hasRole } from "@/lib/auth/roles";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { orNotFound } from "@/lib/errors/or-not-found";
import { getMemberDetail } from "@/lib/members/get-member-detail";

export const metadata: Metadata = { title: "Member" };

const MemberPage = async ({ params }: { params: Promise<{ id: string }> }) => {
  const admin = await requireAdminPage("viewer");
  const { id } = await params;
  // A malformed or unknown id is a 404, never a 500 (getMemberDetail validates the uuid).
  const member = await orNotFound(getMemberDetail({ actor: admin, memberId: id }));
  return <MemberDetailView member={member} liftAction={hasRole(admin, "reviewer") ? liftSuppressionAction : undefined} />;
};

export default MemberPage;
