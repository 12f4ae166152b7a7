import type { IncomingMessage, ServerResponse } from "node:http";

import type { TOidcUser } from "./oidc-provider";

/** What a test may change about a user over HTTP: everything but the subject. */
export type TOidcUserPatch = Partial<Omit<TOidcUser, "sub">>;

const PATH = /^\/__test\/users\/([^/]+)$/;

/** The path a test posts a user's patch to (JSON), on a harness started with `testControl: true`. */
export const testControlPath = (sub: string) => `/__test/users/${encodeURIComponent(sub)}`;

/**
 * `POST /__test/users/<sub>` with a JSON patch: `setUser` over HTTP. The e2e stack starts the
 * harness in Playwright's main process, where a test worker cannot call `setUser` directly.
 * Answers 204, 404 for an unknown user, 400 for anything that is not a JSON object.
 */
export const handleTestControl = async ({ req, res, setUser }: { req: IncomingMessage; res: ServerResponse; setUser: (sub: string, patch: TOidcUserPatch) => void }) => {
  const match = PATH.exec(new URL(req.url ?? "/", "http://harness").pathname);
  if (!match || req.method !== "POST") return false;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let patch: unknown;
  try {
    patch = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    patch = null;
  }
  const status = (() => {
    if (!patch || typeof patch !== "object" || Array.isArray(patch)) return 400;
    try {
      setUser(decodeURIComponent(match[1]!), patch as TOidcUserPatch);
      return 204;
    } catch {
      return 404;
    }
  })();
  res.writeHead(status).end();
  return true;
};
