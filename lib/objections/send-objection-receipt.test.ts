import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import type { ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { describe, expect, it } from "vitest";

import { LINK_HOLDER, systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { QUEUES } from "@/lib/jobs";
import { verifyLinkToken } from "@/lib/links/token";
import { closeMailTransport } from "@/lib/mail/transport";
import { sendObjectionReceipt, sendObjectionReceipts } from "@/lib/objections/send-objection-receipt";
import { submitObjection } from "@/lib/objections/submit-objection";
import { setupReceiptMail } from "@/test/receipt-mail";
import de from "@/messages/de.json";
import en from "@/messages/en.json";

/** Recipients whose server answers only once the batch test releases them. */
const SLOW_SUFFIX = "-slow@example.eu";
let releaseSlow = () => {};
const slowRecipients = new Promise<void>((resolve) => (releaseSlow = resolve));

const mail = setupReceiptMail({ sink: { holdRecipient: (address) => (address.endsWith(SLOW_SUFFIX) ? slowRecipients : null) } });

const RECEIPT_JOB = systemActor(QUEUES.objectionReceipt.name);

const createObjection = async ({ locale, slow = false }: { locale: string; slow?: boolean }) => {
  const externalId = `test-${randomUUID()}`;
  const member = await db().member.create({
    data: { externalId, email: slow ? `${externalId}${SLOW_SUFFIX}` : `${externalId}@example.eu`, country: "IE", birthDate: new Date("1991-07-08"), locale },
  });
  const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, country: "IE", source: "direct" });
  if (result.status !== "created") throw new Error(`the objection was not created: ${result.status}`);
  return { member, objection: result.objection };
};

const { messagesTo } = mail;

const eventsOf = (objectionId: string, type: "receipt_sent" | "receipt_failed") => db().objectionEvent.findMany({ where: { objectionId, type } });

const plainText = (message: ParsedMail) => (message.text ?? "").replace(/\s+/g, " ");

/** Stops the sink and runs `run` while nothing answers on its port, then brings a fresh sink back on the same port. */
const whileSmtpIsDown = async (run: () => Promise<void>) => {
  await mail.stopSink();
  try {
    await run();
  } finally {
    await mail.restartSink();
  }
};

/** Replaces the sink, for `run`, with a server that refuses every recipient the way real relays do: quoting the address. */
const whileSmtpRejectsRecipients = async (run: () => Promise<void>) => {
  const port = await mail.stopSink();
  const rejecting = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const error = Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 });
      callback(error);
    },
  });
  await new Promise<void>((resolve) => rejecting.listen(port, "127.0.0.1", resolve));
  try {
    await run();
  } finally {
    // The transport first: the server waits for open connections before it closes.
    closeMailTransport();
    await new Promise<void>((resolve) => rejecting.close(() => resolve()));
    await mail.restartSink();
  }
};

describe("sendObjectionReceipt", () => {
  it("records each receipt of a batch as soon as it is sent, so a worker killed mid-batch sends again only what it could not record", async () => {
    const fast = await createObjection({ locale: "en" });
    const slow = await createObjection({ locale: "en", slow: true });
    const batch = sendObjectionReceipts({ actor: RECEIPT_JOB, jobs: [{ objectionId: fast.objection.id }, { objectionId: slow.objection.id }] });
    // The fast receipt is recorded while the slow one is still held by the mail server.
    const deadline = Date.now() + 4_000;
    while ((await eventsOf(fast.objection.id, "receipt_sent")).length === 0 && Date.now() < deadline) await sleep(50);
    expect(await eventsOf(fast.objection.id, "receipt_sent")).toHaveLength(1);
    expect(await eventsOf(slow.objection.id, "receipt_sent")).toHaveLength(0);
    releaseSlow();
    expect(await batch).toEqual([
      { objectionId: fast.objection.id, outcome: "sent" },
      { objectionId: slow.objection.id, outcome: "sent" },
    ]);
    expect(await eventsOf(slow.objection.id, "receipt_sent")).toHaveLength(1);
  });

  it("emails the member one receipt that says what is covered and links to the status page", async () => {
    const { member, objection } = await createObjection({ locale: "en" });

    await expect(sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id })).resolves.toEqual({ sent: true });

    const received = messagesTo(member.email);
    expect(received).toHaveLength(1);
    const [message] = received as [ParsedMail];
    expect(message.subject).toBe(en.emails.receipt.subject);
    expect(message.html).toEqual(expect.stringContaining("<html"));
    expect(message.text).toBeTruthy();

    const text = plainText(message);
    expect(text).toContain("left out of AI training");
    expect(text).toContain("Private messages");
    expect(text).toContain("under 18");

    const { APP_URL, LINK_SECRETS } = env();
    const escapedAppUrl = APP_URL.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // The status link names this objection: a token that shows and withdraws it, never one that objects.
    const link = text.match(new RegExp(`${escapedAppUrl}/s/([A-Za-z0-9_-]+)`));
    expect(link).not.toBeNull();
    const verified = verifyLinkToken({ token: link?.[1] ?? "", secrets: LINK_SECRETS });
    expect(verified).toMatchObject({ ok: true, subject: { kind: "objection", id: objection.id } });
    expect(message.html).toContain(`${APP_URL}/s/${link?.[1]}`);
    expect(text).not.toContain(`${APP_URL}/o/`);

    const sent = await eventsOf(objection.id, "receipt_sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ actorType: "system" });
    expect(JSON.stringify(sent[0]?.detail)).not.toContain(member.email);
  });

  it("writes the receipt in the member's language", async () => {
    const { member, objection } = await createObjection({ locale: "de" });

    await sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id });

    const received = messagesTo(member.email);
    expect(received).toHaveLength(1);
    expect(received[0]?.subject).toBe(de.emails.receipt.subject);
    expect(de.emails.receipt.subject).not.toBe(en.emails.receipt.subject);
    expect(plainText(received[0] as ParsedMail)).toContain(de.emails.receipt.never);
  });

  it("writes the receipt in the language of a member's regional locale (de-AT), not in English", async () => {
    const { member, objection } = await createObjection({ locale: "de-AT" });

    await sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id });

    expect(messagesTo(member.email)[0]?.subject).toBe(de.emails.receipt.subject);
  });

  it("sends nothing more when called again for a receipt already sent", async () => {
    const { member, objection } = await createObjection({ locale: "en" });

    await expect(sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id })).resolves.toEqual({ sent: true });
    await expect(sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id, attempt: 2 })).resolves.toEqual({ sent: false });

    expect(messagesTo(member.email)).toHaveLength(1);
    expect(await eventsOf(objection.id, "receipt_sent")).toHaveLength(1);
  });

  it("records a failure without the address while SMTP is down, keeps the objection, and delivers once SMTP is back", async () => {
    const { member, objection } = await createObjection({ locale: "en" });

    await whileSmtpIsDown(async () => {
      await expect(sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id })).rejects.toThrow(/not sent/);
    });

    const failed = await eventsOf(objection.id, "receipt_failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ actorType: "system", detail: { attempt: 1 } });
    expect(JSON.stringify(failed[0]?.detail)).not.toContain("@");
    expect(await eventsOf(objection.id, "receipt_sent")).toHaveLength(0);
    expect(await db().objection.findUniqueOrThrow({ where: { id: objection.id } })).toMatchObject({ status: "effective", effectiveAt: objection.effectiveAt });
    expect(messagesTo(member.email)).toHaveLength(0);

    await expect(sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id, attempt: 2 })).resolves.toEqual({ sent: true });
    expect(messagesTo(member.email)).toHaveLength(1);
    expect(await eventsOf(objection.id, "receipt_sent")).toHaveLength(1);
  });

  it("keeps the address out of the audit trail and the error when the relay rejects the recipient quoting it", async () => {
    const { member, objection } = await createObjection({ locale: "en" });

    await whileSmtpRejectsRecipients(async () => {
      const error: unknown = await sendObjectionReceipt({ actor: RECEIPT_JOB, objectionId: objection.id }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain("550");
      expect((error as Error).message).toContain("[address]");
      expect((error as Error).message).not.toContain(member.email);
      expect((error as Error).message).not.toContain("@");
    });

    const failed = await eventsOf(objection.id, "receipt_failed");
    expect(failed).toHaveLength(1);
    const detail = JSON.stringify(failed[0]?.detail);
    expect(detail).toContain("[address]");
    expect(detail).not.toContain("@");
  });
});
