import "server-only";

import type { TFormProblem } from "@/lib/forms/read-form";
import { bodyTooLarge } from "@/lib/http/body-too-large";

/** A public form's post larger than `maxBytes` (413), in words a person can act on. `outcome` says what did not happen ("nothing was stored"). */
export const formTooLarge = ({ maxBytes, outcome }: { maxBytes: number; outcome: string }) =>
  bodyTooLarge(`The form post is larger than ${maxBytes / 1024} KB, the most this form takes: ${outcome}. Shorten what you typed and send the form again.`);

/** A public form's post that is too large (413) or no form at all (400), for a form that takes nothing else. */
export const formPostRefused = ({ problem, maxBytes, outcome }: { problem: TFormProblem; maxBytes: number; outcome: string }) =>
  problem === "too_large"
    ? formTooLarge({ maxBytes, outcome })
    : new Response(`This is not a form post: ${outcome}. Send the form from its page.\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
