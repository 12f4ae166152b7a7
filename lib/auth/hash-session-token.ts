import "server-only";

import { createHash } from "node:crypto";

/** Sessions are stored by a hash of the cookie's value: reading the table hands out no live session. */
export const hashSessionToken = (sessionToken: string) => createHash("sha256").update(sessionToken).digest("base64url");
