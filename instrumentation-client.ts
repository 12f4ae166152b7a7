import { z } from "zod";

// Runs in the browser before the app's code. Zod compiles object schemas with `new Function` when
// it may, and probing for that under this app's Content-Security-Policy (no 'unsafe-eval', see
// lib/security) is reported as a violation on every page with a form. Its interpreter parses alike.
z.config({ jitless: true });
