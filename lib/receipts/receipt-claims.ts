import { normaliseEmail } from "@/lib/members/normalise-email";
import { objectionReference } from "@/lib/objections/objection-reference";

/**
 * What an objection covers, as the objection form says it ("your public posts, comments or chats
 * with its AI assistant", kept out of AI training): identifiers a machine compares, in the order
 * the form names them. A new kind of data would be a new identifier, never a changed one.
 */
export const RECEIPT_SCOPE = ["public_posts", "public_comments", "ai_assistant_chats"] as const;

/** The same, in the form's English words (messages/en.json, `emails.receipt.what`), for a person reading the claims. */
export const RECEIPT_SCOPE_TEXT = "Public posts, comments and chats with the AI assistant, left out of AI model training.";

export type TReceiptObjection = { id: string; email: string; status: "effective" | "withdrawn" | "rejected"; effectiveAt: Date; withdrawnAt: Date | null };

export type TReceiptClaims = {
  iss: string;
  sub: string;
  email: string;
  status: "effective" | "withdrawn";
  effective_at: string;
  withdrawn_at?: string;
  scope: readonly string[];
  scope_text: string;
  controller: string;
  iat: number;
};

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The receipt's claims, from stored data only: the same objection gives the same claims, so the
 * email and the status page give the same file (Ed25519 signatures are deterministic too). `iat`
 * is when the state it records began (the objection took effect, or was withdrawn), not when this
 * copy was made. A withdrawn objection's receipt records the withdrawal; a rejected one has none.
 */
export const receiptClaims = ({ objection, issuer, controller }: { objection: TReceiptObjection; issuer: string; controller: string }): TReceiptClaims | null => {
  const common = {
    iss: issuer,
    sub: objectionReference(objection.id),
    email: normaliseEmail(objection.email),
    effective_at: objection.effectiveAt.toISOString(),
    scope: RECEIPT_SCOPE,
    scope_text: RECEIPT_SCOPE_TEXT,
    controller,
  };
  if (objection.status === "effective") return { ...common, status: "effective", iat: seconds(objection.effectiveAt) };
  if (objection.status === "withdrawn" && objection.withdrawnAt)
    return { ...common, status: "withdrawn", withdrawn_at: objection.withdrawnAt.toISOString(), iat: seconds(objection.withdrawnAt) };
  return null;
};
