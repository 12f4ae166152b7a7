import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { test as base, expect } from "@playwright/test";

import en from "../messages/en.json";
import fr from "../messages/fr.json";
import { DEMO_ADMIN_EMAIL, DEMO_MEMBERS } from "../prisma/demo-members";
import { findEmail, isTo, readInbox, waitForEmailTo } from "../test/inbox";
import { E2E_DEMO_PORTS } from "./ports";

// `npm run demo` as a new user runs it: its own embedded database (PGlite), its own inbox, the
// app and a worker, started by scripts/demo.ts itself. Only the build is shared with the e2e run.
type TDemo = { appUrl: string; inboxUrl: string; token: string; output: () => string; dir: string };

const startDemo = async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "objection-demo-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEMO_DIR: dir,
    DEMO_SKIP_BUILD: "1",
    PORT: String(E2E_DEMO_PORTS.app),
    DEMO_SMTP_PORT: String(E2E_DEMO_PORTS.smtp),
    DEMO_INBOX_PORT: String(E2E_DEMO_PORTS.inbox),
    DEMO_PG_PORT: String(E2E_DEMO_PORTS.postgres),
    DEMO_OIDC_PORT: String(E2E_DEMO_PORTS.oidc),
    TSX_TSCONFIG_PATH: "tsconfig.scripts.json",
  };
  // A new user has none of these: the demo makes its own.
  for (const name of ["DATABASE_URL", "APP_URL", "LINK_SECRET", "LINK_SECRETS", "PLATFORM_API_TOKEN", "EXPORT_API_TOKEN", "EXPORT_HASH_KEY", "EXPORT_SIGNING_KEY", "RECEIPT_SIGNING_KEY", "EXPORT_DIR", "EXPORT_STORAGE", "AUTH_SECRET", "ADMIN_EMAILS", "ADMIN_OIDC_ISSUER"]) delete env[name];
  // Its own process group, so that stopping it stops the app, worker and inbox it started.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) throw new Error(`The demo exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The demo did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const token = /Platform API token \(demo only\): (\S+)/.exec(output)?.[1];
  if (!token) throw new Error(`The demo printed no platform API token:\n${output}`);
  const demo: TDemo = { appUrl: `http://localhost:${E2E_DEMO_PORTS.app}`, inboxUrl: `http://localhost:${E2E_DEMO_PORTS.inbox}`, token, output: () => output, dir };
  return { demo, child };
};

const stopDemo = async ({ child, dir }: { child: ChildProcess; dir: string }) => {
  if (child.exitCode === null && child.pid) {
    const exited = once(child, "exit");
    process.kill(-child.pid, "SIGINT");
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
};

const test = base.extend<object, { demo: TDemo }>({
  demo: [
    async ({}, use) => {
      const { demo, child } = await startDemo();
      try {
        await use(demo);
      } finally {
        await stopDemo({ child, dir: demo.dir });
      }
    },
    // The demo starts in about 10 s here (migrations, seed, inbox, app and worker): the default 60 s covers it.
    { scope: "worker" },
  ],
});

// One demo for the file; its tests run in order in one worker.
test.describe.configure({ mode: "default" });

test.describe("npm run demo, on its embedded database", () => {
  test("the platform API keeps answering for 10 seconds over several connections", async ({ demo }) => {
    const headers = { authorization: `Bearer ${demo.token}`, "content-type": "application/json" };
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const until = Date.now() + 10_000;
    // Six clients, each with its own connection, paced under the API's rate limit (1,200 a minute).
    const client = async (clientIndex: number) => {
      for (let round = 0; Date.now() < until; round++) {
        const member = DEMO_MEMBERS[(clientIndex + round) % DEMO_MEMBERS.length]!;
        const externalId = `load-${clientIndex}-${round}`;
        const response =
          round % 3 === 0
            ? await fetch(`${demo.appUrl}/api/v1/members`, {
                method: "PUT",
                headers,
                body: JSON.stringify({ members: [{ externalId, email: `${externalId}@example.eu`, country: "LU", birthDate: "1990-02-03" }] }),
              })
            : await fetch(`${demo.appUrl}/api/v1/members/${member.externalId}/notifications`, { headers });
        count(response.status);
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 350));
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, index) => client(index)));
    const answered = Object.fromEntries(statuses);
    expect(Object.keys(answered)).toEqual(["200"]);
    // Six clients, a request each 350 ms plus its answer: about 150 in 10 s.
    expect(answered[200]).toBeGreaterThan(60);
  });

  test("the printed campaign commands send the notices, by email and in the platform's app", async ({ demo, page }) => {
    const printed = demo.output();
    const commands = printed.slice(printed.indexOf("Or run a campaign"), printed.indexOf("The notices arrive")).split("\n").slice(1).join("\n");
    expect(commands).toContain("/launch");
    const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", commands]);
    expect(stdout).toContain('"status"');

    await expect(async () => {
      const emails = await readInbox(demo.inboxUrl);
      const notified = new Set(emails.filter((email) => email.subject !== en.emails.receipt.subject).flatMap((email) => email.to.map((to) => to.address)));
      expect(DEMO_MEMBERS.filter((member) => !notified.has(member.email))).toEqual([]);
    }).toPass({ timeout: 30_000 });
    // maildev keeps the mail with the demo's data, readable by this user only.
    const mailDir = path.join(demo.dir, "mail");
    expect(readdirSync(mailDir).filter((file) => file.endsWith(".eml")).length).toBeGreaterThanOrEqual(DEMO_MEMBERS.length);
    expect(statSync(demo.dir).mode & 0o077).toBe(0);

    await page.goto(`${demo.appUrl}/demo/app/demo-0003`);
    await page.locator(".demo-bell summary").click();
    await expect(page.getByRole("link", { name: en.inApp.action }).first()).toBeVisible();
  });

  test("the platform page shows the notice in the member's language, keeps answering, and shows none once the member has objected", async ({ demo, page }) => {
    const headers = { authorization: `Bearer ${demo.token}` };
    const appPath = `${demo.appUrl}/demo/app/demo-0002`;
    for (let visit = 0; visit < 3; visit++) expect((await page.goto(appPath))?.status()).toBe(200);

    const bell = page.locator(".demo-bell summary");
    await expect(bell.locator("svg")).toHaveCount(1);
    expect(await bell.textContent()).not.toContain("🔔");
    await bell.click();
    const notice = page.locator(".demo-notice").first();
    await expect(notice).toHaveAttribute("lang", "fr");
    await expect(notice.getByText(fr.inApp.title)).toBeVisible();
    const open = notice.getByRole("link", { name: fr.inApp.action });
    await expect(open).toBeVisible();

    const notices = (await (await fetch(`${demo.appUrl}/api/v1/members/demo-0002/notifications`, { headers })).json()) as { id: string }[];
    for (const { id } of notices) expect((await fetch(`${demo.appUrl}/api/v1/notifications/${id}/seen`, { method: "POST", headers })).status).toBe(204);

    await open.click();
    // The form speaks the member's language (fr), whatever the browser prefers.
    await page.getByRole("button", { name: fr.form.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: fr.confirmation.title })).toBeVisible();

    expect((await page.goto(appPath))?.status()).toBe(200);
    await page.locator(".demo-bell summary").click();
    await expect(page.getByText(en.demoApp.empty)).toBeVisible();
    await expect(page.locator(".demo-notice")).toHaveCount(0);
    expect(await (await fetch(`${demo.appUrl}/api/v1/members/demo-0002/notifications`, { headers })).json()).toEqual([]);
  });

  test("the printed export command writes a signed run on the embedded database, and the verifier accepts it", async ({ demo }) => {
    const printed = demo.output();
    const commands = printed.slice(printed.indexOf("Export the objectors now"), printed.indexOf("Press Ctrl-C")).split("\n").filter((line) => line.startsWith("  ")).join("\n");
    expect(commands).toContain("npm run export");
    const { stdout } = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", commands], { env: { ...process.env, CI: "" } });
    const verifyCommand = /Verify it: (npm run export:verify -- \S+)/.exec(stdout)?.[1];
    expect(verifyCommand).toBeTruthy();
    const setup = commands.split("\n")[0]!;
    const verified = await promisify(execFile)("bash", ["-euo", "pipefail", "-c", `${setup}\n${verifyCommand}`]);
    expect(verified.stdout).toMatch(/Run [0-9a-f-]{36} verified\./);

    // The member who objected in the test before is in the run the pipeline API serves.
    const envFile = readFileSync(path.join(demo.dir, "demo.env"), "utf8");
    const exportToken = /^EXPORT_API_TOKEN='([^']+)'/m.exec(envFile)?.[1];
    const latest = (await (await fetch(`${demo.appUrl}/api/v1/exports/latest`, { headers: { authorization: `Bearer ${exportToken}` } })).json()) as { runId: string };
    const snapshot = await (await fetch(`${demo.appUrl}/api/v1/exports/${latest.runId}/files/snapshot.csv`, { headers: { authorization: `Bearer ${exportToken}` } })).text();
    expect(snapshot).toContain(",demo-0002,");
  });

  test("the admin console works on the embedded database: sign in as the printed address, then the dashboard, the queue and an objection", async ({ demo, page }) => {
    expect(demo.output()).toContain(`Sign in as ${DEMO_ADMIN_EMAIL}`);
    await page.goto(`${demo.appUrl}/admin`);
    await page.getByLabel("Work email").fill(DEMO_ADMIN_EMAIL);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

    const signInLink = (text: string) => /https?:\/\/\S+\/api\/auth\/callback\/nodemailer\S*/.exec(text)?.[0];
    const email = await findEmail({ inboxUrl: demo.inboxUrl, timeoutMs: 30_000, matches: (candidate) => isTo(candidate, DEMO_ADMIN_EMAIL) && !!signInLink(candidate.text) });
    const link = signInLink(email?.text ?? "");
    expect(link).toBeTruthy();
    await page.goto(link!);
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

    // Several pages at once, each with its own queries, on the one embedded engine.
    const pages = await Promise.all(["/admin/objections", "/admin/campaigns", "/admin/exports", "/admin/audit", "/admin/team"].map((path) => page.request.get(`${demo.appUrl}${path}`)));
    expect(pages.map((response) => response.status())).toEqual([200, 200, 200, 200, 200]);

    // demo-0002 objected in an earlier test: find it in the queue and open it.
    await page.goto(`${demo.appUrl}/admin/objections?q=demo-0002`);
    await page.getByRole("link", { name: /demo-0002/ }).first().click();
    await expect(page).toHaveURL(/\/admin\/objections\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("single sign-on: the demo prints a login per role, and the reviewer's signs in at the demo's OpenID provider", async ({ demo, page }) => {
    const logins = [...demo.output().matchAll(/^ {4}(\S+) +→ role (\S+)/gm)].map(([, login, role]) => `${login}:${role}`);
    expect(logins).toEqual(["admin:admin", "reviewer:reviewer", "viewer:viewer"]);
    await page.goto(`${demo.appUrl}/admin/sign-in`);
    await page.getByRole("button", { name: "Sign in with Demo SSO" }).click();
    await page.getByLabel("Login").fill("reviewer");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Team" })).toHaveCount(0);
  });

  test("objecting without a link works on the embedded database: the email, the form, the receipt's status page and a withdrawal", async ({ demo, page }) => {
    const address = `demo-visitor-${Date.now()}@example.eu`;
    const emailTo = (subject: string) => waitForEmailTo({ inboxUrl: demo.inboxUrl, address, subject });

    await page.goto(`${demo.appUrl}/object`);
    await page.getByLabel(en.requestLink.email).fill(address);
    await page.getByRole("button", { name: en.requestLink.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();

    const linkEmail = await emailTo(en.emails.addressLink.subject);
    await page.goto(/https?:\/\/\S+\/o\/[A-Za-z0-9_-]+/.exec(linkEmail.text)![0]);
    await page.getByLabel(en.form.country).selectOption("LU");
    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();

    const receipt = await emailTo(en.emails.receipt.subject);
    await page.goto(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]+/.exec(receipt.text)![0]);
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleEffective })).toBeVisible();
    await page.getByRole("link", { name: en.statusPage.withdrawButton }).click();
    await page.getByRole("button", { name: en.statusPage.confirmButton }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleWithdrawn })).toBeVisible();
    await emailTo(en.emails.withdrawal.subject);
  });

  test("serves the app's icons", async ({ demo, request }) => {
    const favicon = await request.get(`${demo.appUrl}/favicon.ico`);
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()["content-type"]).toContain("image/");
    expect((await request.get(`${demo.appUrl}/icon.svg`)).status()).toBe(200);
    expect((await request.get(`${demo.appUrl}/apple-touch-icon.png`)).status()).toBe(200);
  });
});
