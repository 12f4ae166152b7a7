import "server-only";

import { queryWhileUnreachable } from "@/lib/pg";
import { RECORD_RECEIPT_SIGNING_KEY_SQL } from "@/lib/receipts/receipt-sql";
import type { TReceiptSigningKey } from "@/lib/receipts/receipt-signing-key";

// Kids this process has recorded: one insert a key a process, not one a receipt.
const recorded = new Set<string>();

/**
 * Records the signing key's public half before its first receipt goes out, so the JWKS lists it
 * from then on, and after it rotates. A second process recording the same key changes nothing.
 */
export const recordReceiptSigningKey = async (key: TReceiptSigningKey) => {
  if (recorded.has(key.kid)) return;
  await queryWhileUnreachable(RECORD_RECEIPT_SIGNING_KEY_SQL, [key.kid, JSON.stringify(key.publicJwk)]);
  recorded.add(key.kid);
};
