import "server-only";

import { createHash, type KeyObject, sign } from "node:crypto";

export type TDkimKey = { domainName: string; keySelector: string; privateKey: KeyObject; headerFieldNames: string };

// DKIM (RFC 6376) for a complete message we composed ourselves: relaxed/relaxed, rsa-sha256, as
// nodemailer's `dkim` option signs. nodemailer's signer runs RSA on the event loop (about 0.6 ms an
// email) and pipes each message through its parsers (0.4 ms more): the campaign worker's budget per
// email is under 1 ms. Here RSA runs on libuv's thread pool and the body is canonicalized with two
// regular expressions, so the pre-composed notices keep their rate (scripts/bench/campaign.ts --dkim).

/** RFC 6376 § 3.4.4: no whitespace at line ends, runs of it as one space, no empty lines at the end. */
const relaxedBody = (body: string) => {
  // Only runs of two or more, and tabs, change: a pattern for every single space costs 4× as much.
  let canonical = body.replace(/[ \t]+\r\n/g, "\r\n").replace(/[ \t]{2,}|\t/g, " ");
  let end = canonical.length;
  while (end >= 2 && canonical.charCodeAt(end - 2) === 13 && canonical.charCodeAt(end - 1) === 10) end -= 2;
  canonical = canonical.slice(0, end).replace(/ $/, "");
  return canonical.length > 0 ? `${canonical}\r\n` : "";
};

/** RFC 6376 § 3.4.2: lower-case name, unfolded value, runs of whitespace as one space, none at either end. */
const relaxedHeader = (name: string, value: string) => `${name.toLowerCase()}:${value.replace(/\r\n/g, "").replace(/[ \t]+/g, " ").trim()}`;

/** The header fields of a message, unfolded, in order: [name, raw value]. */
const headerFields = (head: string) => {
  const fields: [string, string][] = [];
  for (const line of head.split("\r\n")) {
    const last = fields.at(-1);
    if ((line.startsWith(" ") || line.startsWith("\t")) && last) last[1] += `\r\n${line}`;
    else {
      const colon = line.indexOf(":");
      if (colon > 0) fields.push([line.slice(0, colon).trim(), line.slice(colon + 1)]);
    }
  }
  return fields;
};

const signAsync = (data: string, key: KeyObject) =>
  new Promise<string>((resolve, reject) => sign("sha256", Buffer.from(data), key, (error, signature) => (error ? reject(error) : resolve(signature.toString("base64")))));

/** The message with a DKIM-Signature header in front, over the headers of `key.headerFieldNames` it has. */
export const signRawMessage = async (message: string, key: TDkimKey) => {
  // SMTP sends every line ending as CRLF (nodemailer converts a bare LF), and a verifier hashes what
  // arrives: so is what is signed here, and sent.
  const raw = message.replace(/(?<!\r)\n/g, "\r\n");
  const split = raw.indexOf("\r\n\r\n");
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? "" : raw.slice(split + 4);
  const bodyHash = createHash("sha256").update(relaxedBody(body)).digest("base64");

  // The last instance of each listed field, as a verifier reads them (the message has one of each).
  const fields = headerFields(head);
  const byName = new Map(fields.map(([name, value]) => [name.toLowerCase(), [name, value] as const]));
  const signed = key.headerFieldNames.split(":").filter((name) => byName.has(name.toLowerCase()));
  const canonicalHeaders = signed.map((name) => `${relaxedHeader(...byName.get(name.toLowerCase())!)}\r\n`).join("");

  const tags = [
    "v=1",
    "a=rsa-sha256",
    "c=relaxed/relaxed",
    `d=${key.domainName}`,
    "q=dns/txt",
    `s=${key.keySelector}`,
    `t=${Math.floor(Date.now() / 1000)}`,
    `bh=${bodyHash}`,
    `h=${signed.join(":")}`,
  ];
  const value = `${tags.join("; ")}; b=`;
  const signature = await signAsync(`${canonicalHeaders}${relaxedHeader("DKIM-Signature", value)}`, key.privateKey);
  // Folded between tags (relaxed canonicalization reads the fold as the space it replaces).
  return `DKIM-Signature: ${tags.join(";\r\n ")};\r\n b=${signature}\r\n${raw}`;
};
