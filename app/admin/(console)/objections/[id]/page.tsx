import type { Metadata } from "next";

import {
  addObjectionNoteAction,
  approveObjectionRejectionAction,
  cancelObjectionRejectionAction,
  markObjectionSpamAction,
  matchObjectionAction,
  previewMatchAction,
  requestObjectionRejectionAction,
  revealObjectionAction,
  unmatchObjectionAction,
} from "@/app/admin/(console)/objections/[id]/actions";
import { ObjectionDetailView } from "@/components/admin/objection-detail/objection-detail-view";
import type { TObjectionDetailActions } from "@/components/admin/objection-detail/objection-detail-actions";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { orNotFound } from "@/lib/errors/or-not-found";
import { objectionMemberNotices } from "@/lib/members/objection-member-notices";
import { getObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

export const metadata: Metadata = { title: "Objection" };

const ACTIONS: TObjectionDetailActions = {
  reveal: revealObjectionAction,
  addNote: addObjectionNoteAction,
  match: matchObjectionAction,
  previewMatch: previewMatchAction,
  unmatch: unmatchObjectionAction,
  markSpam: markObjectionSpamAction,
  requestRejection: requestObjectionRejectionAction,
  approveRejection: approveObjectionRejectionAction,
  cancelRejection: cancelObjectionRejectionAction,
};

const ObjectionDetailPage = async ({
  params,
}: {
  params: Promise<{ id: string }>;
}) => {
  const admin = await requireAdminPage("viewer");
  const { id } = await params;
  // A malformed or unknown id is a 404, never a 500 (getObjectionDetail validates the uuid).
  const [detail, member] = await Promise.all([
    orNotFound(getObjectionDetail({ actor: admin, objectionId: id })),
    objectionMemberNotices({ actor: admin, objectionId: id }),
  ]);
  return <ObjectionDetailView detail={detail} member={member} actorId={admin.id} actions={ACTIONS} />;
};

export default ObjectionDetailPage;
