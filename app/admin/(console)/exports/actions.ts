"use server";

import { z } from "zod";

import { adminAction } from "@/lib/auth/admin-action";
import { startExportNow } from "@/lib/exports/start-export-now";

const ZStartExport = z.object({});

export const startExportAction = adminAction<typeof ZStartExport, { jobId: string }>({
  schema: ZStartExport,
  run: async ({ actor }) => {
    const { jobId, started } = await startExportNow({ actor });
    return { ok: true, message: started ? "Export queued: a worker runs it now." : "An export is already queued or running: showing its progress.", data: { jobId } };
  },
});
