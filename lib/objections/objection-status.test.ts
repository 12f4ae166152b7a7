import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LINK_HOLDER, PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { acknowledgeRun } from "@/lib/exports/export-runs";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { mintLinkToken } from "@/lib/links/token";
import { openObjectionStatus, withdrawFromStatusLink } from "@/lib/objections/objection-status";
import { exportSettingsFor, insertMembers } from "@/test/export-fixtures";
import { closeTestDatabase } from "@/test/close-test-database";
import { createTestDatabase } from "@/test/test-database";
import { tamperedToken } from "@/test/tampered-token";
import { TEST_ENV } from "@/test/test-env";

const REASON = "Meine Beiträge gehören mir, nicht dem Modell.";

let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;

beforeAll(async () => {
  // Exports hold every objection in their database, and this file runs them: a database of its own.
  database = await createTestDatabase("objection_status");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-status-"));
});

afterAll(async () => {
  await closeTestDatabase({ database, clients: [pool] });
  rmSync(folder, { recursive: true, force: true });
});

const inOneDay = () => new Date(Date.now() + 86_400_000);
const tokenFor = (kind: "objection" | "member" | "notification", id: string, expiresAt = inOneDay()) =>
  mintLinkToken({ subject: { kind, id }, expiresAt, secret: TEST_ENV.LINK_SECRET });

const runNightlyExport = () => runExport({ ...exportSettingsFor({ storage: exportStorageAt(folder) }) });

/** A member's effective objection with a reason, as the form stores it. */
const objectWithReason = async () => {
  const [member] = await insertMembers({ pool, count: 1, prefix: "status" });
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", email, country, reason, source) VALUES ($1, $2, 'DE', $3, 'email_link') RETURNING id`, [
    member!.id,
    member!.email,
    REASON,
  ]);
  return { member: member!, objectionId: rows[0]!.id };
};

const viewOf = async (token: string) => {
  const opened = await openObjectionStatus(token);
  if (!opened.ok) throw new Error(`status token refused: ${opened.reason}`);
  return opened.view;
};

describe("the status page's view of an objection", () => {
  it("follows the objection from stored to exported to acknowledged, and never carries the reason or the address", async () => {
    const { member, objectionId } = await objectWithReason();
    const token = tokenFor("objection", objectionId);

    const before = await viewOf(token);
    expect(before).toMatchObject({ status: "effective", canWithdraw: true, exportProgress: { state: "pending" }, withdrawnAt: null, country: "DE" });
    expect(before.maskedEmail).toBe(`${member.email.slice(0, 1)}•••@example.eu`);
    expect(before.objectAgainPath).toMatch(/^\/o\/[A-Za-z0-9_-]{72}$/);

    const run = await runNightlyExport();
    const held = await viewOf(token);
    expect(held.exportProgress).toEqual({ state: "exported", cutoff: new Date(run.cutoff) });

    // A second run still names the first one that held it.
    await runNightlyExport();
    expect((await viewOf(token)).exportProgress).toMatchObject({ state: "exported", cutoff: new Date(run.cutoff) });

    const acknowledged = await acknowledgeRun({ actor: PLATFORM_ACTOR, runId: run.runId });
    const confirmed = await viewOf(token);
    expect(confirmed.exportProgress).toEqual({ state: "acknowledged", cutoff: new Date(run.cutoff), acknowledgedAt: acknowledged!.acknowledgedAt });

    for (const view of [before, held, confirmed]) {
      const serialised = JSON.stringify(view);
      expect(serialised).not.toContain(REASON);
      expect(serialised).not.toContain("Beiträge");
      expect(serialised).not.toContain(member.email);
    }
  });

  it("withdraws only the objection the token names, erases the reason, records the member, and shows the withdrawn state", async () => {
    const { member, objectionId } = await objectWithReason();
    const token = tokenFor("objection", objectionId);

    expect(await withdrawFromStatusLink({ actor: LINK_HOLDER, input: { token } })).toEqual({ status: "withdrawn", token });
    const view = await viewOf(token);
    expect(view).toMatchObject({ status: "withdrawn", canWithdraw: false, exportProgress: null, withdrawalEmailSent: false });
    expect(view.withdrawnAt).toBeInstanceOf(Date);
    expect(JSON.stringify(view)).not.toContain(REASON);

    const stored = await db().objection.findUniqueOrThrow({ where: { id: objectionId } });
    expect(stored).toMatchObject({ status: "withdrawn", reason: null });
    const events = await db().objectionEvent.findMany({ where: { objectionId, type: "withdrawn" }, select: { actorType: true, actorId: true } });
    expect(events).toEqual([{ actorType: "member", actorId: member.id }]);
    const jobs = await pool.query(`SELECT 1 FROM pgboss.job WHERE name = 'objection-withdrawal' AND data->>'objectionId' = $1`, [objectionId]);
    expect(jobs.rowCount).toBe(1);
    // Once the confirmation went out (its stored event), the page says so rather than "on its way".
    await pool.query(`INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", detail) VALUES ($1, 'withdrawal_email_sent', 'system', '{}')`, [objectionId]);
    expect((await viewOf(token)).withdrawalEmailSent).toBe(true);

    // Again: nothing changes. Then the member objects anew: the old status link cannot withdraw the new objection.
    expect(await withdrawFromStatusLink({ actor: LINK_HOLDER, input: { token } })).toEqual({ status: "not_live", token });
    const renewed = await pool.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", email, country, source) VALUES ($1, $2, 'DE', 'direct') RETURNING id`, [member.id, member.email]);
    expect(await withdrawFromStatusLink({ actor: LINK_HOLDER, input: { token } })).toEqual({ status: "not_live", token });
    expect((await db().objection.findUniqueOrThrow({ where: { id: renewed.rows[0]!.id } })).status).toBe("effective");
    expect(await db().objectionEvent.count({ where: { objectionId, type: "withdrawn" } })).toBe(1);
  });

  it("withdraws an objection that no account is matched to, by its id, and offers /object to object again", async () => {
    const { rows } = await pool.query<{ id: string }>(`INSERT INTO "Objection" (email, country, reason, source) VALUES ('unmatched-status@example.eu', 'FR', $1, 'direct') RETURNING id`, [REASON]);
    const objectionId = rows[0]!.id;
    const token = tokenFor("objection", objectionId);
    expect((await viewOf(token)).objectAgainPath).toBe("/object");

    expect(await withdrawFromStatusLink({ actor: LINK_HOLDER, input: { token } })).toMatchObject({ status: "withdrawn" });
    expect(await db().objection.findUniqueOrThrow({ where: { id: objectionId } })).toMatchObject({ status: "withdrawn", reason: null });
    const events = await db().objectionEvent.findMany({ where: { objectionId, type: "withdrawn" }, select: { actorType: true, actorId: true } });
    expect(events).toEqual([{ actorType: "member", actorId: "status-link" }]);
  });

  it("refuses a token of another purpose, a tampered, expired or malformed one, and an unknown objection", async () => {
    const { member, objectionId } = await objectWithReason();
    const good = tokenFor("objection", objectionId);
    expect(await openObjectionStatus(tokenFor("member", member.id))).toEqual({ ok: false, reason: "wrong_purpose" });
    // A member or notification token naming the same uuid as an objection still cannot open its status.
    expect(await openObjectionStatus(tokenFor("notification", objectionId))).toEqual({ ok: false, reason: "wrong_purpose" });
    expect(await openObjectionStatus(tamperedToken(good))).toEqual({ ok: false, reason: "bad_signature" });
    expect(await openObjectionStatus(tokenFor("objection", objectionId, new Date(Date.now() - 1000)))).toEqual({ ok: false, reason: "expired" });
    expect(await openObjectionStatus("not-a-token")).toEqual({ ok: false, reason: "malformed" });
    expect(await openObjectionStatus(tokenFor("objection", "00000000-0000-4000-8000-000000000000"))).toEqual({ ok: false, reason: "unknown" });

    for (const token of [tokenFor("member", member.id), "not-a-token", tokenFor("notification", objectionId)]) {
      expect(await withdrawFromStatusLink({ actor: LINK_HOLDER, input: { token } })).toEqual({ status: "invalid_link" });
    }
    expect(await withdrawFromStatusLink({ actor: LINK_HOLDER, input: {} })).toEqual({ status: "invalid_link" });
    expect((await db().objection.findUniqueOrThrow({ where: { id: objectionId } })).status).toBe("effective");
  });
});
