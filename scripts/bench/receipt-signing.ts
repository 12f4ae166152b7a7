// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/receipt-signing.ts [--receipts N]`
// What the signed receipt costs the receipt worker a receipt: N receipt-sized emails (HTML and
// text, about 12 kB) composed as nodemailer composes them, without the attachment (the baseline)
// and with it (the claims signed with jose, EdDSA, then attached), in one process, email by email in
// turn, twice. Prints receipts a second and the ratio of the signed time to the baseline. Not part of `npm test`.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";

import { SignJWT } from "jose";
import MailComposer from "nodemailer/lib/mail-composer";

import { receiptClaims } from "@/lib/receipts/receipt-claims";

const { values } = parseArgs({ options: { receipts: { type: "string", default: "4000" } } });
const RECEIPTS = Number(values.receipts);
const { privateKey } = generateKeyPairSync("ed25519");

const paragraph = "We received your objection to the use of your data for training AI models. It took effect and needs nothing more from you. ";
const html = `<html><body>${`<p>${paragraph.repeat(4)}</p>\n`.repeat(20)}</body></html>`;
const text = `${paragraph.repeat(4)}\n`.repeat(20);

const compose = async ({ index, signed }: { index: number; signed: boolean }) => {
  const email = `member-${index}@example.test`;
  let attachments: { filename: string; content: string; contentType: string }[] = [];
  if (signed) {
    const claims = receiptClaims({
      objection: { id: randomUUID(), email, status: "effective", effectiveAt: new Date(), withdrawnAt: null },
      issuer: "https://objection.example.eu",
      controller: "Example Social Europe Ltd",
    })!;
    const { iat, ...rest } = claims;
    const jws = await new SignJWT(rest).setProtectedHeader({ alg: "EdDSA", kid: "0123456789abcdef", typ: "JWT" }).setIssuedAt(iat).sign(privateKey);
    attachments = [{ filename: "objection-receipt.jwt", content: jws, contentType: "application/jwt" }];
  }
  return new MailComposer({ from: "Example Social <no-reply@objection.example.eu>", to: email, subject: "Your objection to AI training is effective", html, text, attachments }).compile().build();
};

/** Both kinds in turn, email by email, so the machine's drift (GC, other processes) falls on both alike. */
const measure = async () => {
  const spent = { baseline: 0, signed: 0 };
  for (let index = 0; index < RECEIPTS; index++) {
    for (const signed of index % 2 === 0 ? [false, true] : [true, false]) {
      const started = performance.now();
      await compose({ index, signed });
      spent[signed ? "signed" : "baseline"] += performance.now() - started;
    }
  }
  return { baseline: RECEIPTS / (spent.baseline / 1000), signed: RECEIPTS / (spent.signed / 1000) };
};

/** The JWS alone: claims and signature, no email. */
const signAlone = async () => {
  const started = performance.now();
  for (let index = 0; index < RECEIPTS; index++) {
    const claims = receiptClaims({ objection: { id: randomUUID(), email: `member-${index}@example.test`, status: "effective", effectiveAt: new Date(), withdrawnAt: null }, issuer: "https://objection.example.eu", controller: "Example Social Europe Ltd" })!;
    await new SignJWT({ ...claims }).setProtectedHeader({ alg: "EdDSA", kid: "0123456789abcdef", typ: "JWT" }).sign(privateKey);
  }
  return RECEIPTS / ((performance.now() - started) / 1000);
};

const main = async () => {
  await measure();
  for (let round = 1; round <= 2; round++) {
    const { baseline, signed } = await measure();
    console.log(`round ${round}: without the receipt ${baseline.toFixed(0)} emails/s, with it ${signed.toFixed(0)} emails/s: ${(baseline / signed).toFixed(2)}× the time`);
  }
  console.log(`the JWS alone: ${(await signAlone()).toFixed(0)} receipts/s`);
};

void main();
