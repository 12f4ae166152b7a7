/** A port set in the environment as `name`, else `fallback`. */
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Fixed ports for the e2e stack, away from the demo's (3000, 1025, 1080). */
export const E2E_PORTS = {
  app: port("E2E_APP_PORT", 3210),
  smtp: port("E2E_SMTP_PORT", 1125),
  inbox: port("E2E_INBOX_PORT", 1180),
  /** The OpenID provider (test/oidc-provider.ts) the app signs admins in with. */
  oidc: port("E2E_OIDC_PORT", 3290),
} as const;

/** The demo that e2e/demo.spec.ts runs beside the e2e stack, on its own embedded database. */
export const E2E_DEMO_PORTS = {
  app: port("E2E_DEMO_APP_PORT", 3310),
  smtp: port("E2E_DEMO_SMTP_PORT", 1225),
  inbox: port("E2E_DEMO_INBOX_PORT", 1280),
  postgres: port("E2E_DEMO_PG_PORT", 54339),
  oidc: port("E2E_DEMO_OIDC_PORT", 3390),
} as const;

/** A second web process and a worker that share only PostgreSQL and an S3 bucket (e2e/export-storage.spec.ts). */
export const E2E_EXPORT_PORTS = {
  app: port("E2E_EXPORT_APP_PORT", 3410),
} as const;

/** An app of its own with single sign-on as the only way in (ADMIN_EMAIL_SIGN_IN=0; e2e/admin-sso-only.spec.ts). */
export const E2E_SSO_ONLY_PORTS = {
  app: port("E2E_SSO_ONLY_APP_PORT", 3510),
} as const;
