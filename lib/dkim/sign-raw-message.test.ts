import { generateKeyPairSync } from "node:crypto";

import { dkimVerify } from "mailauth/lib/dkim/verify";
import { describe, expect, it } from "vitest";

import { signRawMessage } from "@/lib/dkim/sign-raw-message";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const key = { domainName: "objection.test", keySelector: "unit", privateKey, headerFieldNames: "From:To:Subject:Date:Message-ID:Content-Type:List-Unsubscribe:List-Unsubscribe-Post" };
const resolver = async (name: string) => {
  if (name === "unit._domainkey.objection.test") return [[`v=DKIM1; k=rsa; p=${publicKey.export({ format: "der", type: "spki" }).toString("base64")}`]];
  throw Object.assign(new Error("no record"), { code: "ENOTFOUND" });
};
const verify = async (raw: string) => (await dkimVerify(raw, { resolver: resolver as never })).results[0]?.status;

// Whitespace that relaxed canonicalization folds away, a folded header, bare LFs and empty lines at the end.
const MESSAGE = [
  "From:  Objection   <no-reply@objection.test>",
  "To: reader@example.eu \t",
  "Subject: a subject that is folded",
  "\tover two lines",
  "Date: Mon, 30 Nov 2026 03:00:00 +0000",
  "Message-ID: <1@objection.test>",
  "X-Not-Signed: anything",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "A line with trailing spaces   ",
  "and  runs\tof \t whitespace",
  "",
  "",
].join("\r\n");

describe("signRawMessage", () => {
  it("signs what verifiers check (relaxed/relaxed rsa-sha256), over the listed headers it has", async () => {
    const signed = await signRawMessage(MESSAGE.replace("whitespace\r\n", "whitespace\n"), key);
    expect(signed.startsWith("DKIM-Signature: v=1;")).toBe(true);
    expect(signed).toContain("h=From:To:Subject:Date:Message-ID:Content-Type;");
    expect(signed).not.toMatch(/[^\r]\n/);
    expect(await verify(signed)).toMatchObject({ result: "pass" });
    // Relaxed canonicalization: whitespace a relay may change still verifies; words do not.
    expect(await verify(signed.replace("trailing spaces   ", "trailing spaces"))).toMatchObject({ result: "pass" });
    expect(await verify(signed.replace("X-Not-Signed: anything", "X-Not-Signed: changed"))).toMatchObject({ result: "pass" });
    expect(await verify(signed.replace("and  runs", "and more runs"))).toMatchObject({ result: "neutral", comment: "body hash did not verify" });
    expect(await verify(signed.replace("folded", "changed"))).toMatchObject({ result: "fail" });
  });
});
