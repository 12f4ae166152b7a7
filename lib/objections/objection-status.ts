import "server-only";

import { z } from "zod";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { firstExportRun } from "@/lib/exports/first-export-run";
import type { ObjectionStatus } from "@/lib/generated/prisma/enums";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { STATUS_LINK_KINDS } from "@/lib/links/status-link-url";
import { verifyLinkTokenFor, ZLinkToken } from "@/lib/links/token";
import { maskEmail } from "@/lib/members/mask-email";
import { objectionReference } from "@/lib/objections/objection-reference";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";
import { receiptSigningKey } from "@/lib/receipts/receipt-signing-key";

/** Where the objection stands with the training pipeline, while it is effective. */
export type TExportProgress =
  /** No successful export holds it yet: tonight's will. */
  | { state: "pending" }
  /** The first export that held it, which the pipeline has not acknowledged yet. */
  | { state: "exported"; cutoff: Date }
  /** The first export that held it, applied by the pipeline. */
  | { state: "acknowledged"; cutoff: Date; acknowledgedAt: Date };

/**
 * What the status page shows. Deliberately without the reason: a forwarded status link must not
 * leak what the person wrote. The address only masked.
 */
export type TObjectionStatusView = {
  reference: string;
  status: ObjectionStatus;
  effectiveAt: Date;
  withdrawnAt: Date | null;
  rejectedAt: Date | null;
  country: string;
  maskedEmail: string;
  /** Null unless effective. */
  exportProgress: TExportProgress | null;
  canWithdraw: boolean;
  /** Where to object again: the member's own personal link, or /object for an objection without an account. */
  objectAgainPath: string;
  /** The withdrawal's confirmation email went out (its `withdrawal_email_sent` event): the page no longer says it is on its way. */
  withdrawalEmailSent: boolean;
  /** `/s/<token>/receipt` has a signed receipt to offer: receipts are signed here (RECEIPT_SIGNING_KEY), and the objection is effective or withdrawn. */
  receiptAvailable: boolean;
};

export type TOpenStatusResult = { ok: true; view: TObjectionStatusView } | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "wrong_purpose" | "unknown" };

/** The objection a status token names; a tampered, expired or wrong-purpose token names none. */
const verifyStatusToken = (token: string) => verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: STATUS_LINK_KINDS });

const exportProgressOf = async (objectionId: string): Promise<TExportProgress> => {
  const run = await firstExportRun({ id: objectionId });
  if (!run) return { state: "pending" };
  return run.acknowledgedAt ? { state: "acknowledged", cutoff: run.cutoff, acknowledgedAt: run.acknowledgedAt } : { state: "exported", cutoff: run.cutoff };
};

/** Verifies a `/s/<token>` token and loads the view of the objection it names. Never throws for a bad token. */
export const openObjectionStatus = async (token: string): Promise<TOpenStatusResult> => {
  const verified = verifyStatusToken(token);
  if (!verified.ok) return verified;

  // Selected field by field: the reason is never read, so it cannot end up on the page.
  const objection = await db().objection.findUnique({
    where: { id: verified.subject.id },
    select: {
      id: true,
      memberId: true,
      email: true,
      country: true,
      status: true,
      effectiveAt: true,
      withdrawnAt: true,
      rejectedAt: true,
      events: { where: { type: "withdrawal_email_sent" }, select: { id: true }, take: 1 },
    },
  });
  if (!objection) return { ok: false, reason: "unknown" };

  const { id, memberId, email, status } = objection;
  return {
    ok: true,
    view: {
      reference: objectionReference(id),
      status,
      effectiveAt: objection.effectiveAt,
      withdrawnAt: objection.withdrawnAt,
      rejectedAt: objection.rejectedAt,
      country: objection.country,
      maskedEmail: maskEmail(email),
      exportProgress: status === "effective" ? await exportProgressOf(id) : null,
      canWithdraw: status === "effective",
      objectAgainPath: memberId ? `/o/${personalLinkToken({ subject: { kind: "member", id: memberId } })}` : "/object",
      withdrawalEmailSent: objection.events.length > 0,
      receiptAvailable: receiptSigningKey() !== null && (status === "effective" || (status === "withdrawn" && objection.withdrawnAt !== null)),
    },
  };
};

/** The withdrawal form and its handler share this schema: the status token, nothing else. */
export const ZWithdrawFromStatusInput = z.object({ token: ZLinkToken });

export type TWithdrawFromStatusResult = { status: "withdrawn" | "not_live"; token: string } | { status: "invalid_link" };

/**
 * Withdraws the objection a status token names, the token verified again here (the form's hidden
 * field is whatever the browser sent). Only that objection: an old status link cannot withdraw a
 * newer objection made after it. Repeating it changes nothing (`not_live`). Only the link's holder
 * withdraws here; the `withdrawn` event names the objection's member, as the token finds it.
 */
export const withdrawFromStatusLink = async ({ actor, input }: { actor: TActor; input: unknown }): Promise<TWithdrawFromStatusResult> => {
  assertActorKind(actor, "member");
  const parsed = ZWithdrawFromStatusInput.safeParse(input);
  if (!parsed.success) return { status: "invalid_link" };
  const { token } = parsed.data;
  const verified = verifyStatusToken(token);
  if (!verified.ok) return { status: "invalid_link" };

  const objection = await db().objection.findUnique({ where: { id: verified.subject.id }, select: { id: true, memberId: true } });
  if (!objection) return { status: "invalid_link" };
  const withdrawn = await withdrawObjection({
    objectionId: objection.id,
    actor: { kind: "member", memberId: objection.memberId },
  });
  return { status: withdrawn ? "withdrawn" : "not_live", token };
};
