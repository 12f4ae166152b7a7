import "server-only";

import { z } from "zod";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { writeEvidencePack } from "@/lib/evidence/write-evidence-pack";
import { env } from "@/lib/env";
import { exportSigningKey } from "@/lib/exports/export-settings";

/** Who may download a pack: it names every notified member by external id and holds reviewers' reasons (lib/auth/roles.ts). */
export const EVIDENCE_ROLE = "reviewer";

/**
 * Packs this process streams at once. Each holds a connection of the pool (DATABASE_POOL_SIZE) for
 * as long as its download lasts, minutes at 30 M notices: a quarter of the pool at most, so the
 * console and the API keep the rest.
 */
export const maxPacksAtOnce = () => Math.max(1, Math.floor(env().DATABASE_POOL_SIZE / 4));
let packsStreaming = 0;

/** The file's name: the campaign's id, never its name (an admin typed that). */
export const evidenceFileName = (campaignId: string) => `campaign-${campaignId}-evidence.zip`;

/**
 * A campaign's evidence pack for a member of staff, as a web stream for a route's response. The
 * role is checked, the campaign found (404 otherwise), and the download audited (evidence_download,
 * target the campaign) before the first byte; the audit event is committed before the pack's
 * snapshot is taken, so audit.jsonl lists the download itself. When the client goes away (the
 * stream is cancelled, or `signal` aborts), the pack's connection is closed at once.
 */
export const downloadEvidencePack = async ({ actor, campaignId, signal }: { actor: TActor; campaignId: string; signal?: AbortSignal }) => {
  assertRole(actor, EVIDENCE_ROLE);
  if (!z.uuid().safeParse(campaignId).success) throw campaignNotFound();
  const signing = exportSigningKey();
  if (!signing) throw new AppError("not_configured", { message: "The evidence pack is signed with the export signing key: set EXPORT_SIGNING_KEY (`npm run export:keygen`)." });
  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { id: true } });
  if (!campaign) throw campaignNotFound();
  if (packsStreaming >= maxPacksAtOnce()) {
    throw new AppError("rate_limited", { message: `This server is already streaming ${packsStreaming} evidence pack(s), its most at once. Try again when one has finished.` });
  }
  packsStreaming++;
  let pack: Awaited<ReturnType<typeof writeEvidencePack>>;
  try {
    await recordAuditEvent(db(), { actor, action: "evidence_download", target: { type: "campaign", id: campaignId }, detail: { keyId: signing.keyId } });
    pack = await writeEvidencePack({ campaignId, privateKey: signing.privateKey });
  } catch (error) {
    packsStreaming--;
    throw error;
  }
  const gone = () => pack.abort(new Error("The client went away"));
  signal?.addEventListener("abort", gone, { once: true });
  // Written whole, failed or abandoned: its place is free again.
  const settled = () => {
    packsStreaming--;
    signal?.removeEventListener("abort", gone);
  };
  pack.finished.then(settled, settled);
  const chunks = pack.output[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value as Buffer));
      } catch (error) {
        controller.error(error);
      }
    },
    cancel: gone,
  });
};
