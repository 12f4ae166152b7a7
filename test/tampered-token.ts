/**
 * A link token with its last character changed, so its MAC no longer matches. Always a different
 * token: a token's 72 base64url characters carry exactly 54 bytes, so the last character has no
 * spare bits a change could hide in (unlike replacing two characters with "AA", which a token
 * ending in "AA" already survives). Shared by Vitest and Playwright: imports nothing of the app.
 */
export const tamperedToken = (token: string) => `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
