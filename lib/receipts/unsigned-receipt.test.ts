import { randomUUID } from "node:crypto";

import type { ParsedMail } from "mailparser";
import { expect, it } from "vitest";

import { GET as getStatusReceipt } from "@/app/s/[token]/receipt/route";
import { LINK_HOLDER, systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { QUEUES } from "@/lib/jobs";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { openObjectionStatus } from "@/lib/objections/objection-status";
import { sendObjectionReceipt } from "@/lib/objections/send-objection-receipt";
import { sendWithdrawalConfirmation } from "@/lib/objections/send-withdrawal-confirmation";
import { submitObjection } from "@/lib/objections/submit-objection";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";
import { setupReceiptMail } from "@/test/receipt-mail";

// Receipts are not signed here.
const mail = setupReceiptMail({ env: { RECEIPT_SIGNING_KEY: "" } });

const lastMessageTo = (address: string) => mail.messagesTo(address).at(-1) as ParsedMail;

it("without RECEIPT_SIGNING_KEY: the receipt and the withdrawal go without the file or a word of it, and the status page offers none", async () => {
  const externalId = `unsigned-${randomUUID()}`;
  const member = await db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "IE", birthDate: new Date("1990-03-04"), locale: "en" } });
  const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, country: "IE", source: "direct" });
  if (result.status !== "created") throw new Error(`the objection was not created: ${result.status}`);
  const objectionId = result.objection.id;

  await expect(sendObjectionReceipt({ actor: systemActor(QUEUES.objectionReceipt.name), objectionId })).resolves.toEqual({ sent: true });
  const receipt = lastMessageTo(member.email);
  expect(receipt.attachments).toEqual([]);
  expect(receipt.text).not.toContain("objection-receipt.jwt");

  const token = personalLinkToken({ subject: { kind: "objection", id: objectionId } });
  expect(await openObjectionStatus(token)).toMatchObject({ ok: true, view: { receiptAvailable: false } });
  const download = await getStatusReceipt(new Request(`http://localhost/s/${token}/receipt`), { params: Promise.resolve({ token }) });
  expect(download.status).toBe(404);

  await withdrawObjection({ actor: { kind: "member", memberId: member.id }, objectionId });
  await expect(sendWithdrawalConfirmation({ actor: systemActor(QUEUES.objectionWithdrawal.name), objectionId })).resolves.toEqual({ sent: true });
  const confirmation = lastMessageTo(member.email);
  expect(confirmation.subject).not.toBe(receipt.subject);
  expect(confirmation.attachments).toEqual([]);
  expect(confirmation.text).not.toContain("objection-receipt.jwt");
});
