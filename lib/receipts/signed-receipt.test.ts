import { randomUUID } from "node:crypto";

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import type { ParsedMail } from "mailparser";
import { describe, expect, it } from "vitest";

import { GET as getJwks } from "@/app/.well-known/jwks.json/route";
import { GET as getStatusReceipt } from "@/app/s/[token]/receipt/route";
import { LINK_HOLDER, systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { parseSigningKey, publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";
import { QUEUES } from "@/lib/jobs";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { objectionReference } from "@/lib/objections/objection-reference";
import { sendObjectionReceipt } from "@/lib/objections/send-objection-receipt";
import { sendWithdrawalConfirmation } from "@/lib/objections/send-withdrawal-confirmation";
import { submitObjection } from "@/lib/objections/submit-objection";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";
import { verifyReceipt } from "@/lib/receipts/verify-receipt";
import { setupReceiptMail } from "@/test/receipt-mail";
import { TEST_ENV } from "@/test/test-env";

const mail = setupReceiptMail();

const TEST_KID = signingKeyId(publicKeyOf(parseSigningKey(TEST_ENV.RECEIPT_SIGNING_KEY)!));

/** A member (address in mixed case, as a platform may hold it) with an effective objection. */
const createObjection = async () => {
  const externalId = `receipt-${randomUUID()}`;
  const member = await db().member.create({ data: { externalId, email: `${externalId}@Example.EU`, country: "IE", birthDate: new Date("1990-03-04"), locale: "en" } });
  const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "member", id: member.id }, country: "IE", source: "direct" });
  if (result.status !== "created") throw new Error(`the objection was not created: ${result.status}`);
  return { member, objection: result.objection };
};

const lastMessageTo = (address: string) => mail.messagesTo(address).at(-1) as ParsedMail;

/** The receipt attached to a message: its bytes as the mail client saves them. */
const attachedReceipt = (message: ParsedMail) => {
  const attachments = message.attachments.filter((attachment) => attachment.filename === "objection-receipt.jwt");
  expect(attachments).toHaveLength(1);
  expect(attachments[0]?.contentType).toBe("application/jwt");
  return attachments[0]!.content.toString("utf8");
};

/** The JWK Set as GET /.well-known/jwks.json serves it. */
const servedJwks = async () => {
  const response = await getJwks();
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toContain("max-age=");
  return (await response.json()) as JSONWebKeySet;
};

const statusToken = (objectionId: string) => personalLinkToken({ subject: { kind: "objection", id: objectionId } });

const downloadFromStatusPage = (token: string) => getStatusReceipt(new Request(`${env().APP_URL}/s/${token}/receipt`), { params: Promise.resolve({ token }) });

/** The JWS with one character of a segment replaced by another base64url character, in the middle of the segment. */
const withOneByteChanged = (jws: string, segment: 1 | 2) => {
  const parts = jws.split(".");
  const part = parts[segment]!;
  const at = Math.floor(part.length / 2);
  parts[segment] = `${part.slice(0, at)}${part[at] === "A" ? "B" : "A"}${part.slice(at + 1)}`;
  return parts.join(".");
};

describe("signed receipts", () => {
  it("attaches objection-receipt.jwt to the receipt email, an EdDSA JWS with kid that verifies with jose against the served JWKS", async () => {
    const { member, objection } = await createObjection();
    await sendObjectionReceipt({ actor: systemActor(QUEUES.objectionReceipt.name), objectionId: objection.id });
    const message = lastMessageTo(member.email);
    const jws = attachedReceipt(message);
    expect(message.text).toContain("objection-receipt.jwt");

    expect(decodeProtectedHeader(jws)).toEqual({ alg: "EdDSA", kid: TEST_KID, typ: "JWT" });
    const jwks = await servedJwks();
    expect(jwks.keys).toContainEqual(expect.objectContaining({ kid: TEST_KID, kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" }));
    expect(jwks.keys.every((key) => !("d" in key))).toBe(true);

    const { payload, protectedHeader } = await jwtVerify(jws, createLocalJWKSet(jwks), { algorithms: ["EdDSA"] });
    expect(protectedHeader.kid).toBe(TEST_KID);
    expect(payload).toEqual({
      iss: TEST_ENV.APP_URL,
      sub: objectionReference(objection.id),
      email: normaliseEmail(member.email),
      status: "effective",
      effective_at: objection.effectiveAt.toISOString(),
      scope: ["public_posts", "public_comments", "ai_assistant_chats"],
      scope_text: expect.stringContaining("AI"),
      controller: TEST_ENV.CONTROLLER_NAME,
      iat: Math.floor(objection.effectiveAt.getTime() / 1000),
    });
    expect(payload.email).toBe(member.email.toLowerCase());
  });

  it("fails to verify after one byte of the payload or of the signature changes", async () => {
    const { member, objection } = await createObjection();
    await sendObjectionReceipt({ actor: systemActor(QUEUES.objectionReceipt.name), objectionId: objection.id });
    const jws = attachedReceipt(lastMessageTo(member.email));
    const jwks = await servedJwks();
    expect(await verifyReceipt({ jws, jwks })).toMatchObject({ ok: true });

    for (const segment of [1, 2] as const) {
      const tampered = withOneByteChanged(jws, segment);
      expect(tampered).not.toBe(jws);
      await expect(jwtVerify(tampered, createLocalJWKSet(jwks), { algorithms: ["EdDSA"] })).rejects.toThrow(/signature verification failed/);
      expect(await verifyReceipt({ jws: tampered, jwks })).toEqual({ ok: false, problem: expect.stringContaining("signature does not match") });
    }
  });

  it("offers the very same file on the status page, as an attachment, and a bad token gets a 404", async () => {
    const { member, objection } = await createObjection();
    await sendObjectionReceipt({ actor: systemActor(QUEUES.objectionReceipt.name), objectionId: objection.id });
    const fromEmail = attachedReceipt(lastMessageTo(member.email));

    const response = await downloadFromStatusPage(statusToken(objection.id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jwt");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="objection-receipt.jwt"');
    expect(await response.text()).toBe(fromEmail);

    const forged = statusToken(objection.id).replace(/^./, (char) => (char === "A" ? "B" : "A"));
    const refused = await downloadFromStatusPage(forged);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain(member.email.toLowerCase());
  });

  it("attaches a signed receipt of the withdrawal to its confirmation, the same file the status page then offers", async () => {
    const { member, objection } = await createObjection();
    await withdrawObjection({ actor: { kind: "member", memberId: member.id }, objectionId: objection.id });
    await expect(sendWithdrawalConfirmation({ actor: systemActor(QUEUES.objectionWithdrawal.name), objectionId: objection.id })).resolves.toEqual({ sent: true });
    const message = lastMessageTo(member.email);
    const jws = attachedReceipt(message);
    expect(message.text).toContain("objection-receipt.jwt");

    const checked = await verifyReceipt({ jws, jwks: await servedJwks() });
    const { withdrawnAt } = await db().objection.findUniqueOrThrow({ where: { id: objection.id }, select: { withdrawnAt: true } });
    expect(checked).toEqual({
      ok: true,
      receipt: expect.objectContaining({
        sub: objectionReference(objection.id),
        status: "withdrawn",
        effective_at: objection.effectiveAt.toISOString(),
        withdrawn_at: withdrawnAt!.toISOString(),
        iat: Math.floor(withdrawnAt!.getTime() / 1000),
        kid: TEST_KID,
      }),
    });
    expect(await (await downloadFromStatusPage(statusToken(objection.id))).text()).toBe(jws);
  });
});
