import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { startOidcProvider } from "../test/oidc-provider";
import { createTestDatabase, dropTestDatabase } from "../test/test-database";
import { TEST_ENV, TEST_PREVIOUS_LINK_SECRET } from "../test/test-env";
import { buildApp, startApp, startMaildev, startWorker, stopAll, type TStopper } from "../scripts/lib/stack";
import { logLeaks } from "./log-leaks";
import { E2E_PORTS } from "./ports";
import { e2eOidcProviderOptions, E2E_SSO_ENV } from "./sso";
import { E2E_TRAINING_STARTS_AT } from "./training-start";

// The real system, started once for the e2e run: a fresh database on the machine's PostgreSQL,
// maildev as the SMTP server, an OpenID provider for single sign-on, the production build of the
// app, and a worker.
const globalSetup = async () => {
  const database = await createTestDatabase("objection_e2e");
  // Nightly runs land here, not in the checkout; the pipeline API reads them back.
  const exportDir = mkdtempSync(path.join(tmpdir(), "objection-e2e-exports-"));
  const env = {
    ...TEST_ENV,
    DATABASE_URL: database.url,
    APP_URL: `http://127.0.0.1:${E2E_PORTS.app}`,
    SMTP_URL: `smtp://127.0.0.1:${E2E_PORTS.smtp}`,
    // Mid-rotation, as after a key change: new links are signed with LINK_SECRET, links signed with the previous key still open.
    LINK_SECRETS: `${TEST_ENV.LINK_SECRET},${TEST_PREVIOUS_LINK_SECRET}`,
    DEMO_MODE: "1",
    EXPORT_DIR: exportDir,
    EXPORT_API_TOKEN: "pipeline-token-for-e2e-0123456789abcdef",
    TRAINING_STARTS_AT: E2E_TRAINING_STARTS_AT,
    // The webhook test's receiver is the test's own server on 127.0.0.1, over http.
    WEBHOOK_ALLOW_PRIVATE: "1",
    ...E2E_SSO_ENV,
  };
  const logs = !!process.env.E2E_LOGS;
  // Every line the app and the worker print during the whole run: checked for leaks at the end.
  const printed: string[] = [];
  const onLine = (line: string) => printed.push(line);
  const parts: TStopper[] = [];
  try {
    parts.push(await startMaildev({ smtpPort: E2E_PORTS.smtp, webPort: E2E_PORTS.inbox, logs }));
    // In this process: tests change its users over HTTP (e2e/sso.ts, setSsoUser).
    const provider = await startOidcProvider(e2eOidcProviderOptions(env.APP_URL));
    parts.push({ name: "OpenID provider", stop: provider.stop });
    if (!process.env.E2E_SKIP_BUILD) await buildApp(env);
    parts.push(startWorker({ env, logs, onLine }));
    parts.push(await startApp({ env, port: E2E_PORTS.app, logs, onLine }));
  } catch (error) {
    await stopAll(parts);
    await dropTestDatabase(database.name);
    rmSync(exportDir, { recursive: true, force: true });
    throw error;
  }
  // Test workers start after this and inherit these.
  Object.assign(process.env, {
    E2E_DATABASE_URL: database.url,
    E2E_INBOX_URL: `http://127.0.0.1:${E2E_PORTS.inbox}`,
    E2E_LINK_SECRET: env.LINK_SECRET,
    E2E_PREVIOUS_LINK_SECRET: TEST_PREVIOUS_LINK_SECRET,
    E2E_EXPORT_API_TOKEN: env.EXPORT_API_TOKEN,
  });
  return async () => {
    await stopAll(parts);
    await dropTestDatabase(database.name);
    rmSync(exportDir, { recursive: true, force: true });
    // Every flow of the run went through these processes: none of their output may name a person or hold a token.
    const leaks = logLeaks(printed);
    if (leaks.length > 0) throw new Error(`${leaks.length} line(s) printed by the app or the worker leak:\n${leaks.slice(0, 10).join("\n")}`);
  };
};

export default globalSetup;
