import "server-only";

import { z } from "zod";

import { LINK_HOLDER } from "@/lib/auth/actor";
import { formTooLarge } from "@/lib/forms/form-post-refused";
import { readFormFields } from "@/lib/forms/read-form-fields";
import { logger } from "@/lib/logger";
import { stopEmails } from "@/lib/unsubscribe/stop-emails";

// POST /u/<token> lands here via app/u/[token]/one-click (proxy.ts rewrites it: a page and a route
// handler cannot share a path).
// A mail client's one-click button (RFC 8058) posts `List-Unsubscribe=One-Click` with no cookie and
// follows no redirect: it is answered 200. The confirm button on /u/<token> posts the same field
// and `from=page`, and is sent back to the page, which then shows the stopped state. Either way
// only emails stop: no objection is stored.
const ZOneClick = z.object({
  "List-Unsubscribe": z.literal("One-Click", { error: 'Send the form body "List-Unsubscribe=One-Click" (RFC 8058).' }),
  from: z.literal("page").optional(),
});

const plain = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(`${text}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });

const seeOther = (location: string) => new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });

/** The answer to a post to /u/<token>: 200 (or 303 back to the page) once emails are stopped, 400 for a wrong body, 413 for one over 4 KB, 404 for a bad link, 503 for an outage. */
const MAX_FORM_BYTES = 4 * 1024;

export const oneClickResponse = async ({ request, token }: { request: Request; token: string }) => {
  const read = await readFormFields(request, { maxBytes: MAX_FORM_BYTES });
  if (!read.ok && read.problem === "too_large") return formTooLarge({ maxBytes: MAX_FORM_BYTES, outcome: "no emails were stopped" });
  const parsed = ZOneClick.safeParse(read.ok ? read.fields : {});
  if (!parsed.success) return plain(400, parsed.error.issues[0]?.message ?? "Send the form body List-Unsubscribe=One-Click (RFC 8058).");
  const fromPage = parsed.data.from === "page";
  try {
    const result = await stopEmails({ actor: LINK_HOLDER, token });
    if (fromPage) return seeOther(`/u/${encodeURIComponent(token)}`);
    if (!result.ok) return plain(404, "This link cannot be used: it may have expired or been copied incompletely. No emails were stopped.");
    return plain(200, "Emails stopped. This is not an objection to AI training.");
  } catch (error) {
    // Nothing was written (one statement). Log the kind of fault, never the person.
    logger().error({ event: "unsubscribe_failed", error }, "stopping emails failed");
    return plain(503, "Emails could not be stopped just now. Please try again in a few seconds.", { "retry-after": "5" });
  }
};
