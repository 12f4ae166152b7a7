import "server-only";

import type { TReceiptPublicJwk } from "@/lib/receipts/receipt-signing-key";

/** A key's public JWK ($2) under its kid ($1), when a worker starts with it or it first signs; kept as it was after that. */
export const RECORD_RECEIPT_SIGNING_KEY_SQL = `
  INSERT INTO "ReceiptSigningKey" (kid, "publicJwk") VALUES ($1, $2::jsonb)
  ON CONFLICT (kid) DO NOTHING`;

/**
 * The keys that signed receipts, newest first. Bounded: a key is added only when RECEIPT_SIGNING_KEY
 * rotates, so a handful of rows; the limit keeps a runaway (a key per deploy) from growing the answer.
 */
export const RECEIPT_SIGNING_KEYS_LIMIT = 100;
export type TReceiptSigningKeyRow = { kid: string; publicJwk: TReceiptPublicJwk };
export const RECEIPT_SIGNING_KEYS_SQL = `
  SELECT kid, "publicJwk" FROM "ReceiptSigningKey" ORDER BY "firstUsedAt" DESC, kid LIMIT ${RECEIPT_SIGNING_KEYS_LIMIT}`;
