import "server-only";

import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { STATUS_LINK_KINDS } from "@/lib/links/status-link-url";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { signReceipt } from "@/lib/receipts/sign-receipt";

/**
 * The signed receipt a status link (`/s/<token>/receipt`) offers: the same file as the email's, the
 * withdrawal's once withdrawn. An AppError `not_found` for a token that names no objection (tampered,
 * expired, another purpose: proxy.ts answers those with the status page's friendly 404 first), for
 * a rejected objection, and when receipts are not signed here.
 */
export const statusLinkReceipt = async (token: string): Promise<string> => {
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: STATUS_LINK_KINDS });
  const notFound = (message: string) => new AppError("not_found", { message });
  if (!verified.ok) throw notFound("This status link cannot be used: it may have expired or been copied incompletely. Ask for a fresh link with your email address.");
  const objection = await db().objection.findUnique({
    where: { id: verified.subject.id },
    select: { id: true, email: true, status: true, effectiveAt: true, withdrawnAt: true },
  });
  if (!objection) throw notFound("This status link names no objection.");
  const jws = await signReceipt(objection);
  if (!jws) throw notFound("There is no signed receipt for this objection.");
  return jws;
};
