import { oneClickResponse } from "@/lib/unsubscribe/one-click-response";

// POST /u/<token>, rewritten here by proxy.ts: a page and a route handler cannot share a path.
export const POST = async (request: Request, { params }: { params: Promise<{ token: string }> }) => oneClickResponse({ request, token: (await params).token });
