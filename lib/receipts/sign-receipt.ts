import "server-only";

import { SignJWT } from "jose";

import { env } from "@/lib/env";
import { receiptClaims, type TReceiptObjection } from "@/lib/receipts/receipt-claims";
import { receiptSigningKey } from "@/lib/receipts/receipt-signing-key";
import { recordReceiptSigningKey } from "@/lib/receipts/record-receipt-signing-key";

/** The receipt's file name, in emails and on the status page's download. */
export const RECEIPT_FILE_NAME = "objection-receipt.jwt";
export const RECEIPT_CONTENT_TYPE = "application/jwt";

/**
 * The signed receipt of an objection's state (effective, or withdrawn): a compact JWS, EdDSA, with
 * the key's `kid`. Null when RECEIPT_SIGNING_KEY is unset or the objection is rejected. The key is
 * recorded first, so the JWKS lists it before anyone holds a receipt it signed. The JWS holds the
 * address: never log it.
 */
export const signReceipt = async (objection: TReceiptObjection): Promise<string | null> => {
  const key = receiptSigningKey();
  if (!key) return null;
  const { APP_URL, CONTROLLER_NAME } = env();
  const claims = receiptClaims({ objection, issuer: APP_URL, controller: CONTROLLER_NAME });
  if (!claims) return null;
  await recordReceiptSigningKey(key);
  const { iat, ...rest } = claims;
  return new SignJWT(rest).setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "JWT" }).setIssuedAt(iat).sign(key.privateKey);
};

/** The receipt as a nodemailer attachment; none when there is no receipt. */
export const receiptAttachments = (jws: string | null) => (jws ? [{ filename: RECEIPT_FILE_NAME, content: jws, contentType: RECEIPT_CONTENT_TYPE }] : []);
