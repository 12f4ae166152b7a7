/** Variables every test process needs besides its database; SMTP_URL points at a sink a test starts. */
export const TEST_ENV = {
  APP_URL: "http://localhost:3999",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "Objection <no-reply@objection.test>",
  LINK_SECRET: "test-link-secret-test-link-secret-0000",
  BRAND_NAME: "Example Social",
  PRIVACY_NOTICE_URL: "https://example.test/privacy",
  CONTROLLER_NAME: "Example Social Europe Ltd",
  CONTROLLER_ADDRESS: "1 Example Square, 1000 Brussels, Belgium",
  DPO_CONTACT: "dpo@example.test",
  DATABASE_POOL_SIZE: "4",
  PLATFORM_API_TOKEN: "platform-token-for-tests-0123456789abcdef",
  METRICS_TOKEN: "metrics-token-for-tests-0123456789abcdef",
  // High, so polling tests never hit it; the rate-limit test starts an instance with a low one.
  PLATFORM_API_RATE_PER_MINUTE: "100000",
  AUTH_SECRET: "auth-secret-for-tests-0123456789abcdef-0000",
  ADMIN_EMAILS: "first-admin@objection.test",
  EXPORT_HASH_KEY: "export-hash-key-for-tests-0123456789abcdef",
  // A key made for tests only; it signs nothing anyone trusts.
  EXPORT_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHxXwjuMHwcy2KWHtTnqs+hJYwF7fsovrVGjtNJIgBIm\n-----END PRIVATE KEY-----\n",
  // Signs receipts in tests (lib/receipts); made for tests only, like the export key.
  RECEIPT_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIE6h2SD2n2svFwrDl9n6KCaEG2KD2HVgGDkbl0x6fl1o\n-----END PRIVATE KEY-----\n",
} as const;

/** The receipt key a rotation moves to (lib/receipts/receipt-key-rotation.test.ts). */
export const TEST_NEXT_RECEIPT_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIQTB+tXQmDWrbT5vIpD85QqyAThgzUUUpjh8XfkpJI0\n-----END PRIVATE KEY-----\n";

/** A link key rotated out of signing: the e2e app still accepts it (LINK_SECRETS="<LINK_SECRET>,<this>"), so links it signed keep working. */
export const TEST_PREVIOUS_LINK_SECRET = "test-previous-link-secret-previous-0000";
