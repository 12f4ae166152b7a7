import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from "jose";
import { z } from "zod";

// No "server-only" and no env: `npm run receipt:verify` (scripts/receipt-verify.ts) runs this too.

const ZClaims = z.object({
  iss: z.string({ error: "the issuer (iss) is missing" }),
  sub: z.string({ error: "the objection reference (sub) is missing" }),
  email: z.string({ error: "the email address (email) is missing" }),
  status: z.enum(["effective", "withdrawn"], { error: 'the status is missing or neither "effective" nor "withdrawn"' }),
  effective_at: z.iso.datetime({ error: "effective_at is missing or not an ISO 8601 time" }),
  withdrawn_at: z.iso.datetime({ error: "withdrawn_at is not an ISO 8601 time" }).optional(),
  scope: z.array(z.string(), { error: "the scope is missing" }).min(1, { error: "the scope is empty" }),
  controller: z.string({ error: "the controller is missing" }),
  iat: z.number({ error: "the time it was issued (iat) is missing" }),
});

export type TVerifiedReceipt = z.infer<typeof ZClaims> & { kid: string };

export type TReceiptCheck = { ok: true; receipt: TVerifiedReceipt } | { ok: false; problem: string };

export const ZJwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }, { error: 'not a JWK Set: it must be a JSON object with "keys"' });

const problemOf = (error: unknown, kid: string) => {
  if (error instanceof errors.JWKSNoMatchingKey) return `unknown kid: no key "${kid}" in the JWK Set`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the signature does not match: the receipt was changed, or another key signed it";
  if (error instanceof errors.JOSEAlgNotAllowed) return "wrong alg: a receipt is signed with EdDSA";
  if (error instanceof errors.JWTClaimValidationFailed) return `a claim is wrong: ${error.message}`;
  if (error instanceof errors.JOSEError) return `not a valid receipt: ${error.message}`;
  throw error;
};

/**
 * Checks a receipt (a compact JWS) against a JWK Set: an EdDSA signature by one of its keys, with
 * `kid`, and every claim a receipt has. Names the first problem found; never throws for a bad file.
 */
export const verifyReceipt = async ({ jws, jwks }: { jws: string; jwks: JSONWebKeySet }): Promise<TReceiptCheck> => {
  const text = jws.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text)) return { ok: false, problem: "not a JWS: a receipt is three base64url parts joined by dots" };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(text);
  } catch {
    return { ok: false, problem: "not a JWS: its header is not base64url-encoded JSON" };
  }
  if (header.alg !== "EdDSA" && header.alg !== "Ed25519") return { ok: false, problem: `wrong alg: ${JSON.stringify(header.alg ?? null)}, where a receipt is signed with EdDSA` };
  if (typeof header.kid !== "string" || header.kid === "") return { ok: false, problem: "the header has no kid: it cannot name the key that signed it" };
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(text, createLocalJWKSet(jwks), { algorithms: ["EdDSA", "Ed25519"] }));
  } catch (error) {
    return { ok: false, problem: problemOf(error, header.kid) };
  }
  const claims = ZClaims.safeParse(payload);
  if (!claims.success) return { ok: false, problem: `a claim is missing or wrong: ${claims.error.issues.map((issue) => issue.message).join("; ")}` };
  if (claims.data.status === "withdrawn" && !claims.data.withdrawn_at) return { ok: false, problem: "a withdrawal receipt without withdrawn_at" };
  return { ok: true, receipt: { ...claims.data, kid: header.kid } };
};
