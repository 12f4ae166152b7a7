import "server-only";

import { pgPool } from "@/lib/pg";
import { RECEIPT_SIGNING_KEYS_SQL, type TReceiptSigningKeyRow } from "@/lib/receipts/receipt-sql";
import { receiptSigningKey, type TReceiptPublicJwk } from "@/lib/receipts/receipt-signing-key";

/**
 * The JWK Set of GET /.well-known/jwks.json: the current key first (even before it has signed),
 * then every key that signed a receipt, so a receipt signed before a rotation still verifies.
 */
export const receiptJwks = async (): Promise<{ keys: TReceiptPublicJwk[] }> => {
  const current = receiptSigningKey()?.publicJwk;
  const { rows } = await pgPool().query<TReceiptSigningKeyRow>(RECEIPT_SIGNING_KEYS_SQL);
  const stored = rows.map(({ kid, publicJwk }) => ({ ...publicJwk, kid, alg: "EdDSA", use: "sig" }) as TReceiptPublicJwk);
  return { keys: [...(current ? [current] : []), ...stored.filter((key) => key.kid !== current?.kid)] };
};
