import "server-only";

/**
 * 413 for a body past its route's cap, in words a person can act on. `Connection: close`: the rest
 * of the body was never read, so the connection cannot carry another request.
 */
export const bodyTooLarge = (message: string) =>
  new Response(`${message}\n`, { status: 413, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", connection: "close" } });
