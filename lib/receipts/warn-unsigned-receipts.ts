import "server-only";

import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

/** At start (the web app and the worker): one line when receipts will go out unsigned, so an operator notices before a person asks for the file. */
export const warnIfReceiptsUnsigned = () => {
  if (env().RECEIPT_SIGNING_KEY) return;
  logger().warn(
    { event: "receipts_unsigned" },
    "RECEIPT_SIGNING_KEY is unset: receipts and withdrawal confirmations go without objection-receipt.jwt, and the status page offers none (docs/receipts.md)",
  );
};
