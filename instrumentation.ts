// Runs once when a server instance starts: a missing or malformed variable stops it
// with one line that names the variable, before any request is served.
export const register = async () => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertEnv } = await import("@/lib/env");
  assertEnv();
};
