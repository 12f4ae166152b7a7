import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { SignJWT, type JSONWebKeySet } from "jose";
import { afterAll, describe, expect, it } from "vitest";

import { parseSigningKey, publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";
import { RECEIPT_SCOPE, receiptClaims } from "@/lib/receipts/receipt-claims";
import { verifyReceipt } from "@/lib/receipts/verify-receipt";
import en from "@/messages/en.json";
import { TEST_ENV, TEST_NEXT_RECEIPT_SIGNING_KEY } from "@/test/test-env";

const KEY = parseSigningKey(TEST_ENV.RECEIPT_SIGNING_KEY)!;
const KID = signingKeyId(publicKeyOf(KEY));
const OTHER_KEY = parseSigningKey(TEST_NEXT_RECEIPT_SIGNING_KEY)!;
const JWKS: JSONWebKeySet = { keys: [{ ...publicKeyOf(KEY).export({ format: "jwk" }), kid: KID, alg: "EdDSA", use: "sig" }] };

const CLAIMS = receiptClaims({
  objection: { id: "0b6f6e2a-6f1e-4c39-9d27-2f8e3f7a1c55", email: " Jane.Doe@Example.EU ", status: "effective", effectiveAt: new Date("2026-12-01T10:00:00.123Z"), withdrawnAt: null },
  issuer: "https://objection.example.eu",
  controller: "Example Social Europe Ltd",
})!;

const sign = async ({ claims = CLAIMS as object, key = KEY, header = { alg: "EdDSA", kid: KID, typ: "JWT" } as Record<string, unknown> } = {}) =>
  new SignJWT({ ...claims }).setProtectedHeader(header as { alg: string }).sign(key);

const scratch = mkdtempSync(path.join(tmpdir(), "objection-receipt-verify-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("receiptClaims", () => {
  it("normalises the address as the export does, dates the receipt from stored data, and names the scope the form names", () => {
    expect(CLAIMS).toMatchObject({ email: "jane.doe@example.eu", status: "effective", effective_at: "2026-12-01T10:00:00.123Z", iat: 1_796_119_200, scope: RECEIPT_SCOPE });
    // The form's own words for what an objection covers.
    expect(en.form.intro).toContain("public posts, comments or chats with its AI assistant");
    expect(en.emails.receipt.what).toContain("public posts, comments and chats with the AI assistant");
  });

  it("gives a rejected objection no receipt, and a withdrawal one without withdrawn_at none", () => {
    const base = { id: "0b6f6e2a-6f1e-4c39-9d27-2f8e3f7a1c55", email: "a@example.eu", effectiveAt: new Date(), withdrawnAt: null };
    expect(receiptClaims({ objection: { ...base, status: "rejected" }, issuer: "x", controller: "y" })).toBeNull();
    expect(receiptClaims({ objection: { ...base, status: "withdrawn" }, issuer: "x", controller: "y" })).toBeNull();
  });
});

describe("verifyReceipt", () => {
  it("accepts a receipt signed by a key of the set, and names each problem of one that is not", async () => {
    expect(await verifyReceipt({ jws: await sign(), jwks: JWKS })).toMatchObject({ ok: true, receipt: { sub: CLAIMS.sub, kid: KID } });
    const problem = async (jws: string, jwks = JWKS) => {
      const result = await verifyReceipt({ jws, jwks });
      return result.ok ? "verified" : result.problem;
    };
    expect(await problem("not a receipt")).toMatch(/^not a JWS/);
    expect(await problem("e30.e30.e30")).toMatch(/^wrong alg/);
    expect(await problem(await sign({ header: { alg: "EdDSA", typ: "JWT" } }))).toMatch(/no kid/);
    expect(await problem(await sign({ header: { alg: "HS256", kid: KID }, key: new Uint8Array(32) as never }))).toMatch(/^wrong alg/);
    expect(await problem(await sign({ header: { alg: "EdDSA", kid: "0000000000000000" } }))).toMatch(/^unknown kid/);
    expect(await problem(await sign({ key: OTHER_KEY }))).toMatch(/^the signature does not match/);
    const { controller: _controller, ...withoutController } = CLAIMS;
    expect(await problem(await sign({ claims: withoutController }))).toMatch(/^a claim is missing or wrong: the controller is missing/);
    expect(await problem(await sign({ claims: { ...CLAIMS, status: "withdrawn" } }))).toMatch(/withdrawn_at/);
  });

  it("runs as `npm run receipt:verify`: exit 0 printing what the receipt says, exit 1 naming the problem", async () => {
    const jwksFile = path.join(scratch, "jwks.json");
    writeFileSync(jwksFile, JSON.stringify(JWKS));
    const good = path.join(scratch, "good.jwt");
    const jws = await sign();
    writeFileSync(good, jws);
    const [header, payload, signature] = jws.split(".") as [string, string, string];
    const tampered = path.join(scratch, "tampered.jwt");
    writeFileSync(tampered, [header, payload.replace(/.(?=.{10}$)/, (char) => (char === "A" ? "B" : "A")), signature].join("."));
    const cli = (file: string) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/receipt-verify.ts", file, "--jwks", jwksFile], { env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json" } }).then(
        ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: `${error.stdout}${error.stderr}` }),
      );

    const [verified, refused] = await Promise.all([cli(good), cli(tampered)]);
    expect(verified.code).toBe(0);
    expect(verified.output).toContain(`reference     ${CLAIMS.sub}`);
    expect(verified.output).toContain("status        effective");
    expect(verified.output).toContain("effective_at  2026-12-01T10:00:00.123Z");
    // The address only masked.
    expect(verified.output).not.toContain("jane.doe@example.eu");
    expect(verified.output).toContain("j•••@example.eu");
    expect(refused).toEqual({ code: 1, output: expect.stringContaining("FAIL  the signature does not match") });
  });
});
