// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/dkim-signers.ts [--emails N]`
// Why the campaign's pre-composed notices are signed by lib/dkim/sign-raw-message.ts and not by a
// package: the same notice-sized message (HTML and text, about 30 kB, a link that differs per
// email) signed N times, 20 at a time, by each signer in one process with one RSA 2048 key,
// relaxed/relaxed rsa-sha256, each signer twice in turn. Prints signatures a second and the ratio
// against nodemailer's signer, the `dkim` option the other emails use. Not part of `npm test`.
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { parseArgs } from "node:util";
import type { Readable } from "node:stream";

import { dkimSign } from "mailauth/lib/dkim/sign";
import MailComposer from "nodemailer/lib/mail-composer";
import DKIM from "nodemailer/lib/dkim";

import { signRawMessage } from "@/lib/dkim/sign-raw-message";

const { values } = parseArgs({ options: { emails: { type: "string", default: "4000" } } });
const EMAILS = Number(values.emails);
const CONCURRENCY = 20;
const DOMAIN = "objection.example.eu";
const SELECTOR = "bench";
const SIGNED_HEADERS = "From:To:Subject:Date:Message-ID:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const paragraph = "If you object, Example Social will not use your public posts, comments and AI chats to train its AI models. ";
const compose = async () => {
  const html = `<html><body>${`<p>${paragraph.repeat(6)}</p>\n`.repeat(30)}<a href="LINK">Object</a></body></html>`;
  const text = `${paragraph.repeat(6)}\n`.repeat(30) + "LINK\n";
  const message = new MailComposer({ from: `Example Social <no-reply@${DOMAIN}>`, to: "TO", subject: "Example Social: you can stop AI training on your posts and chats", html, text, headers: { "List-Unsubscribe": "<https://objection.example.eu/u/TOKEN>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } }).compile();
  return (await message.build()).toString();
};

const readAll = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const measure = async (sign: (message: string) => Promise<unknown>, template: string) => {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, lane) => {
      for (let i = lane; i < EMAILS; i += CONCURRENCY) await sign(template.replace("TO", `member-${i}@example.test`).replaceAll("LINK", `https://objection.example.eu/o/${i}`));
    }),
  );
  return EMAILS / ((performance.now() - started) / 1000);
};

const main = async () => {
  const template = await compose();
  const key = createPrivateKey(pem);
  const mailauthSignature = { signingDomain: DOMAIN, selector: SELECTOR, privateKey: pem, algorithm: "rsa-sha256", canonicalization: "relaxed/relaxed" };
  const nodemailerSigner = new DKIM({ domainName: DOMAIN, keySelector: SELECTOR, privateKey: pem, headerFieldNames: SIGNED_HEADERS });
  const signers: [string, (message: string) => Promise<unknown>][] = [
    ["lib/dkim/sign-raw-message.ts", (message) => signRawMessage(message, { domainName: DOMAIN, keySelector: SELECTOR, privateKey: key, headerFieldNames: SIGNED_HEADERS })],
    ["nodemailer's dkim signer (baseline)", (message) => readAll(nodemailerSigner.sign(message))],
    ["mailauth's dkimSign", (message) => dkimSign(message, { ...mailauthSignature, signatureData: [mailauthSignature] })],
  ];
  // Each signer must really sign, or the comparison means nothing.
  for (const [name, sign] of signers) {
    const signed = await sign(template);
    const text = Buffer.isBuffer(signed) || typeof signed === "string" ? signed.toString() : (signed as { signatures: string }).signatures;
    if (!/DKIM-Signature: v=1;/i.test(text)) throw new Error(`${name} produced no DKIM signature`);
  }
  const best = new Map<string, number>();
  for (let round = 0; round < 2; round++) for (const [name, sign] of signers) best.set(name, Math.max(best.get(name) ?? 0, await measure(sign, template)));
  const baseline = best.get("nodemailer's dkim signer (baseline)")!;
  console.log(`${EMAILS} messages of ${Math.round(template.length / 1024)} kB, ${CONCURRENCY} at a time, best of 2 rounds`);
  for (const [name, rate] of best) console.log(`${name.padEnd(40)} ${Math.round(rate).toLocaleString("en")}/s  ${(rate / baseline).toFixed(2)}× nodemailer`);
};

void main();
