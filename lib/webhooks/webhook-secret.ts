import "server-only";

import { randomBytes } from "node:crypto";

/** A new signing secret in Standard Webhooks form: `whsec_` and the base64 of 32 random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
