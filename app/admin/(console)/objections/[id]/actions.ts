"use server";

import { revalidatePath } from "next/cache";

import { adminAction } from "@/lib/auth/admin-action";
import { addObjectionNote } from "@/lib/objections/admin/add-objection-note";
import { approveObjectionRejection } from "@/lib/objections/admin/approve-objection-rejection";
import { cancelObjectionRejection } from "@/lib/objections/admin/cancel-objection-rejection";
import { markObjectionSpam } from "@/lib/objections/admin/mark-objection-spam";
import { matchObjection } from "@/lib/objections/admin/match-objection";
import { previewMatch, type TMatchPreview } from "@/lib/objections/admin/preview-match";
import { requestObjectionRejection } from "@/lib/objections/admin/request-objection-rejection";
import { unmatchObjection } from "@/lib/objections/admin/unmatch-objection";
import {
  revealObjection,
  type TRevealedObjection,
} from "@/lib/objections/admin/reveal-objection";
import {
  ZMatchPreview,
  ZObjectionMatch,
  ZObjectionNote,
  ZObjectionReveal,
  ZObjectionSpam,
  ZObjectionUnmatch,
  ZRejectionApproval,
  ZRejectionCancel,
  ZRejectionRequest,
} from "@/lib/objections/admin/schema";

const detailPath = (objectionId: string) => `/admin/objections/${objectionId}`;

export const revealObjectionAction = adminAction<
  typeof ZObjectionReveal,
  TRevealedObjection
>({
  schema: ZObjectionReveal,
  run: async ({ actor, input }) => ({
    ok: true,
    data: await revealObjection({ actor, objectionId: input.objectionId }),
  }),
});

export const addObjectionNoteAction = adminAction({
  schema: ZObjectionNote,
  run: async ({ actor, input }) => {
    await addObjectionNote({ actor, ...input });
    revalidatePath(detailPath(input.objectionId));
    return { ok: true, message: "Note added to the timeline." };
  },
});

export const previewMatchAction = adminAction<typeof ZMatchPreview, TMatchPreview>({
  schema: ZMatchPreview,
  readOnly: true,
  run: async ({ actor, input }) => ({ ok: true, data: await previewMatch({ actor, ...input }) }),
});

export const unmatchObjectionAction = adminAction({
  schema: ZObjectionUnmatch,
  run: async ({ actor, input }) => {
    await unmatchObjection({ actor, ...input });
    revalidatePath(detailPath(input.objectionId));
    return { ok: true, message: "Unmatched. The objection is the address's alone again; the next export carries the change." };
  },
});

export const matchObjectionAction = adminAction({
  schema: ZObjectionMatch,
  run: async ({ actor, input }) => {
    await matchObjection({ actor, ...input });
    revalidatePath(detailPath(input.objectionId));
    return { ok: true, message: "Matched to the member." };
  },
});

export const markObjectionSpamAction = adminAction({
  schema: ZObjectionSpam,
  run: async ({ actor, input }) => {
    await markObjectionSpam({ actor, ...input });
    revalidatePath(detailPath(input.objectionId));
    return {
      ok: true,
      message:
        "Marked as spam. The objection stays effective and in the export.",
    };
  },
});

export const requestObjectionRejectionAction = adminAction({
  schema: ZRejectionRequest,
  run: async ({ actor, input }) => {
    await requestObjectionRejection({ actor, ...input });
    revalidatePath(detailPath(input.objectionId));
    return {
      ok: true,
      message: "Rejection requested. A second reviewer must approve it.",
    };
  },
});

export const approveObjectionRejectionAction = adminAction({
  schema: ZRejectionApproval,
  run: async ({ actor, input }) => {
    await approveObjectionRejection({ actor, ...input });
    revalidatePath(detailPath(input.objectionId));
    return {
      ok: true,
      message: "Rejection approved. The person is being emailed the reason.",
    };
  },
});

export const cancelObjectionRejectionAction = adminAction({
  schema: ZRejectionCancel,
  run: async ({ actor, input }) => {
    await cancelObjectionRejection({ actor, ...input });
    revalidatePath(detailPath(input.objectionId));
    return {
      ok: true,
      message: "Rejection request cancelled. The objection stays effective.",
    };
  },
});
