import { NextRequest } from "next/server";

import { handlers } from "@/lib/auth/auth";
import { bodyTooLarge } from "@/lib/http/body-too-large";
import { readBodyCapped } from "@/lib/http/read-body-capped";

// Sign-in forms and callbacks: a few fields, a token at most.
const MAX_BODY_BYTES = 64 * 1024;

export const { GET } = handlers;

/** Auth.js reads a post's body whole (request.text()): it gets the body read here first, with a cap. */
export const POST = async (request: NextRequest) => {
  const read = await readBodyCapped(request, { maxBytes: MAX_BODY_BYTES });
  if (!read.ok && read.problem === "too_large") return bodyTooLarge(`The sign-in post is larger than ${MAX_BODY_BYTES / 1024} KB: sign in from the sign-in page.`);
  if (!read.ok) return new Response("The sign-in post ended before it was complete: sign in again.\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  return handlers.POST(new NextRequest(request, { body: read.bytes }));
};
