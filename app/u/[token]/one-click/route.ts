import { oneClickResponse } from "@/lib/unsubscribe/one-click-response";

// POST /u/<token>, rewritten here (a page and a route handler cannot share a path): by next.config.js
// when the post has a Content-Type, so its body is capped here and not read by the proxy; by proxy.ts when not.
export const POST = async (request: Request, { params }: { params: Promise<{ token: string }> }) => oneClickResponse({ request, token: (await params).token });
