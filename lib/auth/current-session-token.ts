import "server-only";

import { cookies } from "next/headers";

// Auth.js's default cookie names: the __Secure- one when the app is served over https.
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

/** The cookie's value of this browser's session, to tell it apart in the list of one's sessions. */
export const currentSessionToken = async (): Promise<string | null> => {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) {
    const value = jar.get(name)?.value;
    if (value) return value;
  }
  return null;
};

/** Ending this browser's own session: its cookie goes too, so the next page is the sign-in page. */
export const clearSessionCookie = async () => {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) if (jar.has(name)) jar.delete(name);
};
