// Runs once when a server instance starts: a missing or malformed variable stops it
// with one line that names the variable, before any request is served.
export const register = async () => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertEnv, env } = await import("@/lib/env");
  assertEnv();
  // Auth.js builds sign-in links and redirects from this, not from the host a request names.
  process.env.AUTH_URL ??= `${env().APP_URL}/api/auth`;
};
