import "server-only";

import { receiptSigningKey } from "@/lib/receipts/receipt-signing-key";
import { recordReceiptSigningKey } from "@/lib/receipts/record-receipt-signing-key";
import { warnIfReceiptsUnsigned } from "@/lib/receipts/warn-unsigned-receipts";

/**
 * At the worker's start: records the key that will sign receipts, so GET /.well-known/jwks.json
 * lists it from before the first receipt goes out and after RECEIPT_SIGNING_KEY rotates (even a key
 * that never signed one: a receipt could be on its way). Without a key, says so in the log.
 * Signing records the key too: the web signs the status page's download, perhaps with a key no
 * worker has started with yet.
 */
export const startReceiptSigning = async () => {
  const key = receiptSigningKey();
  if (!key) return warnIfReceiptsUnsigned();
  await recordReceiptSigningKey(key);
};
