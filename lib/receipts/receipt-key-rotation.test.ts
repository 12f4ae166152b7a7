import { generateKeyPairSync, randomUUID } from "node:crypto";

import type { JSONWebKeySet } from "jose";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

import { parseSigningKey, publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";
import { closePgPool } from "@/lib/pg";
import { TEST_ENV, TEST_NEXT_RECEIPT_SIGNING_KEY } from "@/test/test-env";

const kidOf = (pem: string) => signingKeyId(publicKeyOf(parseSigningKey(pem)!));
const FIRST_KID = kidOf(TEST_ENV.RECEIPT_SIGNING_KEY);
const NEXT_KID = kidOf(TEST_NEXT_RECEIPT_SIGNING_KEY);

/**
 * The app as a fresh process with RECEIPT_SIGNING_KEY set to `key` (a deploy after a rotation):
 * modules loaded anew, so env() and the key are read again. The pool is shared (lib/pg.ts keeps it on globalThis).
 */
const appWithKey = async (key: string) => {
  vi.stubEnv("RECEIPT_SIGNING_KEY", key);
  vi.resetModules();
  const { signReceipt } = await import("@/lib/receipts/sign-receipt");
  const { verifyReceipt } = await import("@/lib/receipts/verify-receipt");
  const { startReceiptSigning } = await import("@/lib/receipts/start-receipt-signing");
  const { GET } = await import("@/app/.well-known/jwks.json/route");
  const jwks = async () => (await (await GET()).json()) as JSONWebKeySet;
  return { signReceipt, verifyReceipt, startReceiptSigning, jwks };
};

/** An effective objection, as the receipt reads it: signing reads nothing else. */
const OBJECTION = { id: randomUUID(), email: "Rotation@Example.EU", status: "effective" as const, effectiveAt: new Date("2026-12-01T10:00:00.123Z"), withdrawnAt: null };

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  await closePgPool();
});

describe("rotating RECEIPT_SIGNING_KEY", () => {
  it("keeps the old key in the JWKS, so a receipt signed before the rotation still verifies; unset, nothing is signed and the keys stay listed", async () => {
    const before = await appWithKey(TEST_ENV.RECEIPT_SIGNING_KEY);
    const oldReceipt = await before.signReceipt(OBJECTION);
    expect(oldReceipt).toBeTruthy();
    expect((await before.jwks()).keys.map((key) => key.kid)).toEqual([FIRST_KID]);

    const after = await appWithKey(TEST_NEXT_RECEIPT_SIGNING_KEY);
    // The new key is listed before it signs anything, first; the old one stays.
    expect((await after.jwks()).keys.map((key) => key.kid)).toEqual([NEXT_KID, FIRST_KID]);
    const newReceipt = await after.signReceipt(OBJECTION);
    const jwks = await after.jwks();
    expect(jwks.keys.map((key) => key.kid)).toEqual([NEXT_KID, FIRST_KID]);
    expect(await after.verifyReceipt({ jws: oldReceipt!, jwks })).toMatchObject({ ok: true, receipt: { kid: FIRST_KID, sub: expect.any(String) } });
    expect(await after.verifyReceipt({ jws: newReceipt!, jwks })).toMatchObject({ ok: true, receipt: { kid: NEXT_KID } });
    // Only its own key verifies a receipt: the old receipt, offered only the new key, names its kid as unknown.
    const onlyNext = { keys: jwks.keys.filter((key) => key.kid === NEXT_KID) };
    expect(await after.verifyReceipt({ jws: oldReceipt!, jwks: onlyNext })).toEqual({ ok: false, problem: expect.stringContaining(`unknown kid: no key "${FIRST_KID}"`) });

    // Unset (an empty variable is an unset one): receipts go unsigned, and every key that signed stays listed.
    const unset = await appWithKey("");
    expect(await unset.signReceipt(OBJECTION)).toBeNull();
    expect((await unset.jwks()).keys.map((key) => key.kid).sort()).toEqual([FIRST_KID, NEXT_KID].sort());
  });

  it("lists the key a worker started with, though it has signed no receipt, after the key rotates", async () => {
    // A key of this test's own: the test above has recorded both of test-env's.
    const startKey = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const startKid = kidOf(startKey);
    const kidsAfterRotation = async () => (await (await appWithKey(TEST_NEXT_RECEIPT_SIGNING_KEY)).jwks()).keys.map((key) => key.kid);
    expect(await kidsAfterRotation()).not.toContain(startKid);

    await (await appWithKey(startKey)).startReceiptSigning();

    expect(await kidsAfterRotation()).toContain(startKid);
  });
});
