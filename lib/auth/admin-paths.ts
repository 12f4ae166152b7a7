/** Sign-in lives under /admin, like the rest of the console. */
export const ADMIN_PATHS = {
  home: "/admin",
  signIn: "/admin/sign-in",
  checkEmail: "/admin/sign-in/check-email",
  signInError: "/admin/sign-in/error",
  /** Where Auth.js sends the browser once a link is queued (it then shows `checkEmail`). */
  linkSent: "/api/auth/verify-request?provider=nodemailer&type=email",
} as const;
