import { createHmac, randomUUID } from "node:crypto";

import type { APIRequestContext, Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import PgBoss from "pg-boss";
import type pg from "pg";

import en from "../messages/en.json";
import { TEST_ENV } from "../test/test-env";
import { expect, test } from "./fixtures";

const STATUS_LINK = /https?:\/\/[^/\s]+(\/s\/[A-Za-z0-9_-]{60,90})/;
const PERSONAL_LINK = /https?:\/\/[^/\s]+(\/o\/[A-Za-z0-9_-]{60,90})/;

const pipeline = () => ({ authorization: `Bearer ${process.env.E2E_EXPORT_API_TOKEN}` });

type TManifest = { runId: string; files: { name: string; kind: "snapshot" | "delta" }[] };

type TDeltaRow = { op: string; objection_id: string; member_external_id: string; email_hmac: string; country: string; source: string };

/** The nightly job, now (what the cron sends at 02:00), then the run it made, as the pipeline reads it. */
const runNightlyExport = async ({ db, request }: { db: pg.Pool; request: APIRequestContext }) => {
  const before = (await db.query<{ id: string }>(`SELECT id FROM "ExportRun"`)).rows.map((row) => row.id);
  const boss = new PgBoss({ connectionString: process.env.E2E_DATABASE_URL, max: 1 });
  await boss.start();
  try {
    await boss.send("export-nightly", {});
  } finally {
    await boss.stop({ graceful: false, wait: false });
  }
  await expect
    .poll(async () => (await db.query(`SELECT 1 FROM "ExportRun" WHERE status = 'succeeded' AND NOT (id = ANY($1::uuid[]))`, [before])).rowCount, { timeout: 30_000 })
    .toBe(1);
  const manifest = (await (await request.get("/api/v1/exports/latest", { headers: pipeline() })).json()) as TManifest;
  const delta = manifest.files.find((file) => file.kind === "delta");
  const csv = await (await request.get(`/api/v1/exports/${manifest.runId}/files/${delta!.name}`, { headers: pipeline() })).text();
  return { runId: manifest.runId, delta: parse(csv, { columns: true }) as TDeltaRow[] };
};

const acknowledge = async (request: APIRequestContext, runId: string) => {
  expect((await request.post(`/api/v1/exports/${runId}/ack`, { headers: pipeline() })).status()).toBe(200);
};

const objectThroughLink = async (page: Page, path: string) => {
  await page.goto(path);
  await page.getByRole("button", { name: en.form.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
};

const exportDate = (text: string) => text.split("{date}")[0]!;

// One export at a time for the whole deployment: these run in order, after every other spec
// (the nightly-export project in playwright.config.ts).
test.describe.configure({ mode: "serial" });

test("the status page follows an objection into an export and its acknowledgement; withdrawn and made again, the next delta removes the first and adds the second", async ({ page, request, createMember, db, inbox }) => {
  const member = await createMember();
  await objectThroughLink(page, member.path);
  const receipt = await inbox.waitForEmailTo(member.email, { subject: en.emails.receipt.subject });
  const statusPath = receipt.text.match(STATUS_LINK)![1]!;
  const first = (await db.query<{ id: string }>(`SELECT id FROM "Objection" WHERE "memberId" = $1`, [member.id])).rows[0]!.id;

  await page.goto(statusPath);
  await expect(page.getByTestId("export-progress")).toHaveText(en.statusPage.pipelinePending);

  const held = await runNightlyExport({ db, request });
  expect(held.delta).toContainEqual(expect.objectContaining({ op: "add", objection_id: first }));
  await page.reload();
  await expect(page.getByTestId("export-progress")).toContainText(exportDate(en.statusPage.pipelineExported));

  await acknowledge(request, held.runId);
  await page.reload();
  await expect(page.getByTestId("export-progress")).toContainText(exportDate(en.statusPage.pipelineAcknowledged));

  // Withdraw: the confirmation step, then the email.
  await page.getByRole("link", { name: en.statusPage.withdrawButton }).click();
  await page.getByRole("button", { name: en.statusPage.confirmButton }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleWithdrawn })).toBeVisible();
  await inbox.waitForEmailTo(member.email, { subject: en.emails.withdrawal.subject });

  // Object again, from the status page.
  await page.getByRole("link", { name: en.statusPage.objectAgainButton }).click();
  await page.getByRole("button", { name: en.form.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
  const second = (await db.query<{ id: string }>(`SELECT id FROM "Objection" WHERE "memberId" = $1 AND status = 'effective'`, [member.id])).rows[0]!.id;
  const events = await db.query<{ type: string }>(`SELECT e.type FROM "ObjectionEvent" e JOIN "Objection" o ON o.id = e."objectionId" WHERE o."memberId" = $1 ORDER BY e."createdAt", e.type`, [member.id]);
  expect(events.rows.map((row) => row.type)).toEqual(expect.arrayContaining(["created", "receipt_sent", "withdrawn", "created"]));

  const next = await runNightlyExport({ db, request });
  const forMember = next.delta.filter((row) => row.member_external_id === member.id || row.objection_id === first || row.objection_id === second);
  expect(forMember.map(({ op, objection_id }) => ({ op, objection_id }))).toEqual([
    { op: "remove", objection_id: first },
    { op: "add", objection_id: second },
  ]);
});

test("an objection made through /object for an address without an account is in the next export, by its email HMAC", async ({ page, request, db, inbox }) => {
  const address = `unmatched-${randomUUID()}@example.eu`;
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.77.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}` });
  await page.goto("/object");
  await page.getByLabel(en.requestLink.email).fill(address);
  await page.getByRole("button", { name: en.requestLink.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();
  const email = await inbox.waitForEmailTo(address, { subject: en.emails.addressLink.subject });
  await page.goto(email.text.match(PERSONAL_LINK)![1]!);
  await page.getByLabel(en.form.country).selectOption("SE");
  await page.getByRole("button", { name: en.form.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
  const objectionId = (await db.query<{ id: string }>(`SELECT id FROM "Objection" WHERE email = $1`, [address])).rows[0]!.id;

  const run = await runNightlyExport({ db, request });

  const emailHmac = createHmac("sha256", Buffer.from(TEST_ENV.EXPORT_HASH_KEY, "utf8")).update(address, "utf8").digest("hex");
  expect(run.delta).toContainEqual(expect.objectContaining({ op: "add", objection_id: objectionId, member_external_id: "", email_hmac: emailHmac, country: "SE", source: "direct" }));
});
