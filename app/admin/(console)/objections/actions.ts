"use server";

import { revalidatePath } from "next/cache";

import { adminAction } from "@/lib/auth/admin-action";
import { bulkObjectionAction } from "@/lib/objections/admin/bulk-objection-action";
import { type TBulkItemResult, ZBulkObjectionAction } from "@/lib/objections/admin/bulk-objection-schema";

/** The bulk bar: one action on each selected objection, a result per item. */
export const runBulkObjectionAction = adminAction<typeof ZBulkObjectionAction, TBulkItemResult[]>({
  schema: ZBulkObjectionAction,
  run: async ({ actor, input }) => {
    const results = await bulkObjectionAction({ actor, input });
    revalidatePath("/admin/objections");
    const failed = results.filter((result) => !result.ok).length;
    return { ok: true, message: failed ? `${results.length - failed} done, ${failed} not done.` : `All ${results.length} done.`, data: results };
  },
});
