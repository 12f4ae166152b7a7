/** Sign-in lives under /admin, like the rest of the console. */
export const ADMIN_PATHS = {
  home: "/admin",
  signIn: "/admin/sign-in",
  checkEmail: "/admin/sign-in/check-email",
  signInError: "/admin/sign-in/error",
} as const;
