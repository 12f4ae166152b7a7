// `npm run demo`: the whole product on one machine with nothing installed but Node.
// Embedded PostgreSQL (unless DATABASE_URL is set), a local SMTP server with a web inbox,
// demo data, a small OpenID provider for single sign-on, the app and a worker. Ctrl-C stops
// everything it started.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import {
  buildApp,
  migrateDatabase,
  seedDatabase,
  startApp,
  startEmbeddedPostgres,
  startMaildev,
  startWorker,
  stopAll,
  type TStopper,
} from "./lib/stack";
import { startDemoSso } from "./lib/demo-sso";
import { DEMO_ADMIN_EMAIL } from "../prisma/demo-members";

// DEMO_DIR and DEMO_SKIP_BUILD let the e2e tests run a second demo beside their own build.
const DEMO_DIR = path.resolve(process.env.DEMO_DIR ?? ".demo");
const APP_PORT = Number(process.env.PORT ?? 3000);
const SMTP_PORT = Number(process.env.DEMO_SMTP_PORT ?? 1025);
const INBOX_PORT = Number(process.env.DEMO_INBOX_PORT ?? 1080);
const PGLITE_PORT = Number(process.env.DEMO_PG_PORT ?? 54329);
const OIDC_PORT = Number(process.env.DEMO_OIDC_PORT ?? APP_PORT + 1);

/** A secret kept in .demo/ so links printed by one demo run still work in the next. */
const demoSecret = (name: string) => {
  const file = path.join(DEMO_DIR, `${name}.secret`);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
};

/** A demo signing key (Ed25519, PEM: the export's, the receipts'), kept in .demo/ like the secrets. */
const demoSigningKey = (name: "export" | "receipt") => {
  const file = path.join(DEMO_DIR, `${name}-signing-key.pem`);
  if (!existsSync(file)) writeFileSync(file, generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  return readFileSync(file, "utf8");
};

/** The demo's variables as an env file, so `npm run export` and friends can reach the demo. */
const writeDemoEnvFile = (env: Record<string, string>) => {
  const file = path.join(DEMO_DIR, "demo.env");
  const quoted = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
  writeFileSync(file, `${Object.entries(env).map(([name, value]) => `${name}=${quoted(value)}`).join("\n")}\n`, { mode: 0o600 });
  return file;
};

const step = (text: string) => console.log(`▸ ${text}`);

const main = async () => {
  // Personal links live here (the inbox, the secrets): readable by this user only.
  mkdirSync(DEMO_DIR, { recursive: true, mode: 0o700 });
  const parts: TStopper[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping the demo…");
    await stopAll(parts);
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (databaseUrl) {
      step("Using the database in DATABASE_URL");
    } else {
      step(`Starting embedded PostgreSQL (PGlite, data in ${path.relative(process.cwd(), DEMO_DIR)}/pgdata)`);
      const postgres = await startEmbeddedPostgres({ dataDir: path.join(DEMO_DIR, "pgdata"), port: PGLITE_PORT });
      parts.push(postgres);
      databaseUrl = postgres.url;
    }

    const env = {
      DATABASE_URL: databaseUrl,
      // PGlite multiplexes every connection onto one engine: keep the pools small.
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? "4",
      APP_URL: process.env.APP_URL ?? `http://localhost:${APP_PORT}`,
      SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      MAIL_FROM: process.env.MAIL_FROM ?? "Objection demo <no-reply@objection.localhost>",
      // Who asks and who answers, as a real deployment must say (GDPR Art. 13); a made-up platform here.
      BRAND_NAME: process.env.BRAND_NAME ?? "Example Social",
      BRAND_COLOR: process.env.BRAND_COLOR ?? "#1d4ed8",
      PRIVACY_NOTICE_URL: process.env.PRIVACY_NOTICE_URL ?? "https://example.com/privacy",
      CONTROLLER_NAME: process.env.CONTROLLER_NAME ?? "Example Social Europe Ltd",
      CONTROLLER_ADDRESS: process.env.CONTROLLER_ADDRESS ?? "1 Example Square, 1000 Brussels, Belgium",
      DPO_CONTACT: process.env.DPO_CONTACT ?? "dpo@example.com",
      ...(process.env.BRAND_LOGO ? { BRAND_LOGO: process.env.BRAND_LOGO } : {}),
      // Given keys win; with LINK_SECRETS alone, its first is the current key.
      LINK_SECRET: process.env.LINK_SECRET ?? process.env.LINK_SECRETS?.split(",")[0]?.trim() ?? demoSecret("link"),
      PLATFORM_API_TOKEN: process.env.PLATFORM_API_TOKEN ?? demoSecret("platform-token"),
      EXPORT_API_TOKEN: process.env.EXPORT_API_TOKEN ?? demoSecret("export-token"),
      EXPORT_HASH_KEY: process.env.EXPORT_HASH_KEY ?? demoSecret("export-hash-key"),
      EXPORT_SIGNING_KEY: process.env.EXPORT_SIGNING_KEY ?? demoSigningKey("export"),
      RECEIPT_SIGNING_KEY: process.env.RECEIPT_SIGNING_KEY ?? demoSigningKey("receipt"),
      EXPORT_DIR: process.env.EXPORT_DIR ?? path.join(DEMO_DIR, "exports"),
      AUTH_SECRET: process.env.AUTH_SECRET ?? demoSecret("auth"),
      ADMIN_EMAILS: process.env.ADMIN_EMAILS ?? DEMO_ADMIN_EMAIL,
      DEMO_MODE: "1",
    };

    // A provider of your own (ADMIN_OIDC_* set) reaches the app through this process's environment.
    const sso = process.env.ADMIN_OIDC_ISSUER ? null : await startDemoSso({ port: OIDC_PORT, appUrl: env.APP_URL });
    if (sso) {
      step(`Started an OpenID provider for single sign-on (port ${OIDC_PORT})`);
      parts.push(sso.stopper);
      Object.assign(env, sso.env);
    }

    step("Applying migrations");
    await migrateDatabase(env);

    step(`Starting the SMTP server (port ${SMTP_PORT}) and its web inbox`);
    parts.push(await startMaildev({ smtpPort: SMTP_PORT, webPort: INBOX_PORT, mailDirectory: path.join(DEMO_DIR, "mail") }));

    step("Seeding demo members");
    const seeded = await seedDatabase(env);

    if (process.env.DEMO_SKIP_BUILD === "1") {
      step("Using the existing build (DEMO_SKIP_BUILD=1)");
    } else {
      step("Building the app (about a minute the first time)");
      await buildApp(env);
    }

    step("Starting the app and a worker");
    parts.push(startWorker({ env }));
    parts.push(await startApp({ env, port: APP_PORT }));

    const inboxUrl = `http://localhost:${INBOX_PORT}`;
    const envPath = writeDemoEnvFile(env);
    const envFile = path.relative(process.cwd(), envPath).startsWith("..") ? envPath : path.relative(process.cwd(), envPath);
    const auth = `-H "Authorization: Bearer ${env.PLATFORM_API_TOKEN}"`;
    console.log(`
Objection demo is running.

  App:    ${env.APP_URL}
  Inbox:  ${inboxUrl}   (every email the app sends lands here)
  Health: ${env.APP_URL}/api/health
  Platform API token (demo only): ${env.PLATFORM_API_TOKEN}

${seeded.trim()}

Open a link, press the button, then see the receipt in the inbox.

Admin console: ${env.APP_URL}/admin
  Sign in as ${env.ADMIN_EMAILS.split(",")[0]}: the sign-in link arrives in the inbox.
${sso ? `${sso.printed}\n` : ""}
Or run a campaign to every demo member, by email and in the app (see docs/campaigns.md):
  ID=$(curl -s -X POST ${env.APP_URL}/api/v1/campaigns ${auth} \\
       -H "Content-Type: application/json" -d '{"name":"Demo","channels":["email","in_app"]}' | sed -E 's/.*"id":"([^"]+)".*/\\1/')
  curl -s -X POST ${env.APP_URL}/api/v1/campaigns/$ID/launch ${auth}
  curl -s ${env.APP_URL}/api/v1/campaigns/$ID ${auth}
The notices arrive in the inbox (${inboxUrl}), and in the platform's app: ${env.APP_URL}/demo/app/demo-0001

Export the objectors now, as the nightly job does at 02:00 UTC, and verify the run
(see docs/export-format.md):
  set -a; . ${envFile}; set +a
  npm run export          # prints the run's folder and the command that verifies it

Press Ctrl-C to stop.
`);
  } catch (error) {
    console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
};

void main();
