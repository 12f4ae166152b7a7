/** Sign-in lives under /admin, like the rest of the console. */
export const ADMIN_PATHS = {
  home: "/admin",
  signIn: "/admin/sign-in",
  checkEmail: "/admin/sign-in/check-email",
  signInError: "/admin/sign-in/error",
  /** A single sign-on the console refused: no mapped group, an unverified address, or access removed. */
  noAccess: "/admin/sign-in/no-access",
  /** The emailed link while single sign-on is the only way in: for ADMIN_EMAILS' addresses alone. */
  breakGlass: "/admin/sign-in/break-glass",
  /** Where Auth.js sends the browser once a link is queued (it then shows `checkEmail`). */
  linkSent: "/api/auth/verify-request?provider=nodemailer&type=email",
} as const;

/**
 * The page the sign-in form shows after Auth.js answered a request for a link. Auth.js answers
 * "link sent" with its own verify-request address, and a request over a limit with `linkSent`:
 * both become "check your inbox" itself, so the browser's address never tells an admin's request
 * from a stranger's. Any other answer (an error page) is kept.
 */
export const pageAfterLinkRequest = (answer: string) => {
  const path = URL.canParse(answer, "http://app.invalid") ? new URL(answer, "http://app.invalid").pathname : "";
  return path === "/api/auth/verify-request" || path === ADMIN_PATHS.checkEmail ? ADMIN_PATHS.checkEmail : answer;
};
