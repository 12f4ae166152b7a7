import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";

import { dkimVerify } from "mailauth/lib/dkim/verify";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { screenBounceReport } from "@/lib/bounces/screen-bounce-report";
import { parseVerpAddress, verpSigner } from "@/lib/bounces/verp-address";
import { sendCampaignBatch } from "@/lib/campaigns/send-campaign-batch";
import { sendEmail } from "@/lib/mail";
import { closeMailTransport } from "@/lib/mail/transport";
import { closePgPool, pgPool } from "@/lib/pg";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { deliveryStatusNotification } from "@/test/bounce-fixtures";
import { TEST_ENV } from "@/test/test-env";

// One real SMTP server that keeps each message's bytes and envelope, as a receiving MTA sees them:
// DKIM is checked on the bytes, the bounce address is the envelope's MAIL FROM.
type TReceived = { mailFrom: string; rcptTo: string[]; raw: Buffer };

const DKIM_DOMAIN = "objection.test";
const DKIM_SELECTOR = "notice2026";
// A key made for this file only; its public half is served by the test's resolver, not DNS.
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privatePem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const publicDer = publicKey.export({ format: "der", type: "spki" }).toString("base64");

/** Serves `notice2026._domainkey.objection.test` TXT, and nothing else. */
const resolver = async (name: string, rrtype: string) => {
  if (rrtype === "TXT" && name.toLowerCase() === `${DKIM_SELECTOR}._domainkey.${DKIM_DOMAIN}`) return [[`v=DKIM1; k=rsa; p=${publicDer}`]];
  throw Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: "ENOTFOUND" });
};

const verify = async (raw: Buffer | string) => (await dkimVerify(raw, { resolver: resolver as never })).results;

const received: TReceived[] = [];
let server: SMTPServer;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        received.push({ mailFrom, rcptTo: session.envelope.rcptTo.map((to) => to.address), raw: Buffer.concat(chunks) });
        callback(null, "Ok: queued as 4Bx7Q1 for someone@example.eu");
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Before anything calls env(): this file's process signs and bounces as configured here.
  Object.assign(process.env, {
    SMTP_URL: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    DKIM_DOMAIN,
    DKIM_SELECTOR,
    // As an env file holds it: one line, `\n` for line breaks.
    DKIM_PRIVATE_KEY: privatePem.replace(/\n/g, "\\n"),
    BOUNCE_DOMAIN: "bounce.objection.test",
  });
});

afterAll(async () => {
  closeMailTransport();
  await closePgPool();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const receivedBy = (address: string) => received.filter((message) => message.rcptTo.includes(address));

/** A running campaign with one queued email notification per address, all in batch 0. */
const queueCampaign = async (members: { email: string; locale: string }[]) => {
  const pool = pgPool();
  const { rows: campaign } = await pool.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt", "audienceAt") VALUES ($1, '{email}', '{}', 'running', now(), now()) RETURNING id`,
    [`delivery ${randomUUID()}`],
  );
  const campaignId = campaign[0]!.id;
  const { rows } = await pool.query<{ id: string; memberId: string; email: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT 'delivery-' || gen_random_uuid(), e, 'DE', '1980-01-01', l FROM unnest($1::text[], $2::text[]) AS u(e, l)
       RETURNING id, email)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch)
     SELECT m.id, $3, 'email', 'queued', 0 FROM m
     RETURNING id, "memberId", (SELECT email FROM m WHERE m.id = "memberId") AS email`,
    [members.map((m) => m.email), members.map((m) => m.locale), campaignId],
  );
  return { campaignId, notifications: rows };
};

describe("a campaign notice as it leaves", () => {
  it("is DKIM-signed (raw, pre-composed), bounces to its own VERP address, carries one-click unsubscribe, and its proof is stored", async () => {
    const tag = randomUUID().slice(0, 8);
    const members = [
      { email: `dkim-${tag}-en@example.eu`, locale: "en" },
      { email: `dkim-${tag}-de@example.eu`, locale: "de" },
      { email: `dkim-${tag}-xx@example.eu`, locale: "ja" },
    ];
    const { campaignId, notifications } = await queueCampaign(members);
    expect(await sendCampaignBatch({ campaignId, batch: 0 })).toMatchObject({ sent: 3 });

    for (const notification of notifications) {
      const [message] = receivedBy(notification.email);
      expect(message).toBeDefined();
      const [result] = await verify(message!.raw);
      expect(result?.status.result).toBe("pass");
      expect(result?.signingDomain).toBe(DKIM_DOMAIN);
      expect(result?.selector).toBe(DKIM_SELECTOR);
      // RFC 8058: the one-click headers are covered by the signature.
      const signed = String((result as unknown as { signingHeaders?: { keys?: string } })?.signingHeaders?.keys ?? "").toLowerCase();
      expect(signed).toContain("list-unsubscribe");
      expect(signed).toContain("list-unsubscribe-post");

      // The envelope names the notification, signed with the link key's own derived key; the header From stays MAIL_FROM.
      const bounceAddress = { local: "bounces", domain: "bounce.objection.test" };
      const verp = parseVerpAddress(message!.mailFrom, bounceAddress);
      expect(verp?.notificationId).toBe(notification.id);
      expect(verpSigner({ address: verp!.signed!, secrets: [TEST_ENV.LINK_SECRET] })).toBe(TEST_ENV.LINK_SECRET);
      // A DSN quoting these headers, as they left, is believed by the bounce listener.
      const quotedHeaders = message!.raw.toString("utf8").split("\r\n\r\n")[0]!;
      const dsn = deliveryStatusNotification({ notificationId: notification.id, recipient: notification.email, status: "5.1.1", verp: message!.mailFrom, quotedHeaders });
      expect(await screenBounceReport({ recipient: message!.mailFrom, message: dsn, ...bounceAddress, now: new Date(), secrets: [TEST_ENV.LINK_SECRET] })).toEqual({ notificationId: notification.id });
      const mail = await simpleParser(message!.raw);
      expect(mail.from?.value).toEqual([{ name: "Objection", address: "no-reply@objection.test" }]);

      // One-click "stop these emails": this notification's own unsubscribe token, which cannot object.
      const head = message!.raw.toString("utf8").split("\r\n\r\n")[0] ?? "";
      expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      const unsubscribe = /^List-Unsubscribe: <([^>\r\n]+)>$/m.exec(head)?.[1] ?? "";
      expect(unsubscribe.startsWith(`${TEST_ENV.APP_URL}/u/`)).toBe(true);
      const token = unsubscribe.slice(`${TEST_ENV.APP_URL}/u/`.length);
      const secrets = [TEST_ENV.LINK_SECRET];
      expect(verifyLinkTokenFor({ token, secrets, kinds: ["unsubscribe"] })).toMatchObject({ ok: true, subject: { id: notification.id } });
      expect(verifyLinkTokenFor({ token, secrets, kinds: ["notification", "member"] })).toMatchObject({ ok: false, reason: "wrong_purpose" });
      const objectionToken = /\/o\/([A-Za-z0-9_-]+)/.exec(mail.text ?? "")?.[1] ?? "";
      expect(verifyLinkTokenFor({ token: objectionToken, secrets, kinds: ["unsubscribe"] })).toMatchObject({ ok: false, reason: "wrong_purpose" });
    }

    const { rows } = await pgPool().query<{ email: string; status: string; locale: string; noticeVersion: string; relayReply: string }>(
      `SELECT m.email, n.status, n.locale, n."noticeVersion", n."relayReply" FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1`,
      [campaignId],
    );
    const byEmail = new Map(rows.map((row) => [row.email, row]));
    expect(rows.every((row) => row.status === "sent")).toBe(true);
    // The language actually used: Japanese is not offered, so English.
    expect(members.map((member) => byEmail.get(member.email)?.locale)).toEqual(["en", "de", "en"]);
    const [en, de, fallback] = members.map((member) => byEmail.get(member.email)?.noticeVersion);
    expect(en).toMatch(/^[0-9a-f]{64}$/);
    expect(fallback).toBe(en);
    expect(de).not.toBe(en);
    // The relay's reply with its queue id, the address it quoted removed.
    expect(rows.every((row) => row.relayReply === "250 Ok: queued as 4Bx7Q1 for [address]")).toBe(true);
  });

  it("does not verify once the body or a signed header is changed", async () => {
    const address = `dkim-tamper-${randomUUID().slice(0, 8)}@example.eu`;
    const { campaignId } = await queueCampaign([{ email: address, locale: "en" }]);
    await sendCampaignBatch({ campaignId, batch: 0 });
    const raw = receivedBy(address)[0]!.raw.toString("utf8");
    expect((await verify(raw))[0]?.status.result).toBe("pass");

    const body = raw.indexOf("\r\n\r\n") + 4;
    const tamperedBody = `${raw.slice(0, body)}${raw.slice(body).replace("/o/", "/x/")}`;
    expect(tamperedBody).not.toBe(raw);
    const [bodyResult] = await verify(tamperedBody);
    expect(bodyResult?.status.result).not.toBe("pass");
    expect(bodyResult?.status.comment).toBe("body hash did not verify");

    const tamperedHeader = raw.replace("List-Unsubscribe-Post: List-Unsubscribe=One-Click", "List-Unsubscribe-Post: List-Unsubscribe=Two-Clicks");
    expect(tamperedHeader).not.toBe(raw);
    expect((await verify(tamperedHeader))[0]?.status.result).toBe("fail");
  });

  it("signs every other email too (composed in full: receipts, links, sign-in)", async () => {
    const address = `dkim-receipt-${randomUUID().slice(0, 8)}@example.eu`;
    const { createElement } = await import("react");
    await sendEmail({ to: address, subject: "A receipt", email: createElement("p", null, "Your objection is recorded.") });
    const [message] = receivedBy(address);
    expect((await verify(message!.raw))[0]?.status.result).toBe("pass");
  });

  it("skips a member whose emails are stopped, saying why, and sends the rest", async () => {
    const tag = randomUUID().slice(0, 8);
    const { campaignId, notifications } = await queueCampaign([
      { email: `stopped-${tag}@example.eu`, locale: "en" },
      { email: `kept-${tag}@example.eu`, locale: "en" },
    ]);
    const [stopped, kept] = notifications.sort((a, b) => a.email.localeCompare(b.email)).reverse();
    await pgPool().query(`INSERT INTO "EmailSuppression" ("memberId", reason) VALUES ($1, 'unsubscribe')`, [stopped!.memberId]);
    expect(await sendCampaignBatch({ campaignId, batch: 0 })).toMatchObject({ sent: 1, stopped: false });
    expect(receivedBy(stopped!.email)).toHaveLength(0);
    expect(receivedBy(kept!.email)).toHaveLength(1);
    const { rows } = await pgPool().query<{ id: string; status: string; skipReason: string | null; suppressionReason: string | null; lastError: string | null; campaignStatus: string }>(
      `SELECT n.id, n.status, n."skipReason", n."suppressionReason", n."lastError", c.status AS "campaignStatus" FROM "Notification" n JOIN "Campaign" c ON c.id = n."campaignId" WHERE n."campaignId" = $1`,
      [campaignId],
    );
    expect(rows.find((row) => row.id === stopped!.id)).toMatchObject({ status: "skipped", skipReason: "suppressed", suppressionReason: "unsubscribe" });
    expect(rows.find((row) => row.id === kept!.id)).toMatchObject({ status: "sent", skipReason: null, suppressionReason: null, lastError: null });
    expect(rows[0]?.campaignStatus).toBe("done");
  });

  it("skips a member who objected and whose emails are stopped as objected, with no suppression reason", async () => {
    const { campaignId, notifications } = await queueCampaign([{ email: `both-${randomUUID().slice(0, 8)}@example.eu`, locale: "en" }]);
    const [both] = notifications;
    await pgPool().query(`INSERT INTO "EmailSuppression" ("memberId", reason) VALUES ($1, 'complaint')`, [both!.memberId]);
    await pgPool().query(`INSERT INTO "Objection" ("memberId", email, country, source, status) VALUES ($1, $2, 'DE', 'direct', 'effective')`, [both!.memberId, both!.email]);
    expect(await sendCampaignBatch({ campaignId, batch: 0 })).toMatchObject({ sent: 0, stopped: false });
    const { rows } = await pgPool().query(`SELECT status, "skipReason", "suppressionReason" FROM "Notification" WHERE id = $1`, [both!.id]);
    expect(rows).toEqual([{ status: "skipped", skipReason: "objected", suppressionReason: null }]);
  });
});
