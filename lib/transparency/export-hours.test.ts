import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET } from "@/app/transparency.json/route";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { acknowledgeRun } from "@/lib/exports/export-runs";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import type { TTransparencyReport } from "@/lib/transparency/read-transparency-report";
import { exportSettingsFor, insertMembers } from "@/test/export-fixtures";
import { closeTestDatabase } from "@/test/close-test-database";
import { createTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// The median hours to export: each objection's whole hours from taking effect to the first
// acknowledged export that held it go into a histogram when that acknowledgement is made, once.
// Exports hold every objection in their database: a database of its own.
let database: { name: string; url: string };
let pool: pg.Pool;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase("objection_export_hours");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  folder = mkdtempSync(path.join(tmpdir(), "objection-export-hours-"));
});

afterAll(async () => {
  await closeTestDatabase({ database, clients: [pool] });
  rmSync(folder, { recursive: true, force: true });
});

const runNightlyExport = () => runExport({ ...exportSettingsFor({ storage: exportStorageAt(folder) }) });

/** Objections of new members in `country`, made the given whole hours ago (and a few seconds); their months. */
const objectHoursAgo = async ({ country, hours }: { country: string; hours: number[] }) => {
  const members = await insertMembers({ pool, count: hours.length, prefix: `hours-${country}` });
  const months: string[] = [];
  for (const [index, member] of members.entries()) {
    const { rows } = await pool.query<{ month: string }>(
      `INSERT INTO "Objection" ("memberId", email, country, source, "effectiveAt") VALUES ($1, $2, $3, 'email_link', now() - make_interval(hours => $4) - interval '5 seconds')
       RETURNING to_char(transparency_month("effectiveAt"), 'YYYY-MM') AS month`,
      [member.id, member.email, country, hours[index]],
    );
    months.push(rows[0]!.month);
  }
  return months;
};

/** The histogram as { "<country> <month> <hours>": count }. */
const histogram = async () => {
  const { rows } = await pool.query<{ key: string; count: string }>(
    `SELECT country || ' ' || to_char(month, 'YYYY-MM') || ' ' || hours AS key, count::text FROM "TransparencyExportHours" ORDER BY 1`,
  );
  return Object.fromEntries(rows.map(({ key, count }) => [key, Number(count)]));
};

const expectedHistogram = (entries: { country: string; months: string[]; hours: number[] }[]) => {
  const expected: Record<string, number> = {};
  for (const { country, months, hours } of entries) {
    hours.forEach((hour, index) => {
      const key = `${country} ${months[index]} ${hour}`;
      expected[key] = (expected[key] ?? 0) + 1;
    });
  }
  return expected;
};

const HOURS_DE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const HOURS_FR = [30, 30, 30, 31, 31, 31, 40, 40, 40, 40];
const HOURS_NL = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3];

describe("the export hours of the transparency report", () => {
  it("count each objection once, at the first acknowledgement of a run that held it, and give the median from the histogram", async () => {
    const monthsDe = await objectHoursAgo({ country: "DE", hours: HOURS_DE });
    const first = await runNightlyExport();
    expect(await histogram()).toEqual({});

    await acknowledgeRun({ actor: PLATFORM_ACTOR, runId: first.runId });
    const afterFirst = expectedHistogram([{ country: "DE", months: monthsDe, hours: HOURS_DE }]);
    expect(await histogram()).toEqual(afterFirst);
    // Acknowledging again changes nothing.
    await acknowledgeRun({ actor: PLATFORM_ACTOR, runId: first.runId });
    expect(await histogram()).toEqual(afterFirst);

    // Two more runs; the pipeline acknowledges the later one first: it covers both runs' new objections.
    const monthsFr = await objectHoursAgo({ country: "FR", hours: HOURS_FR });
    const second = await runNightlyExport();
    const monthsNl = await objectHoursAgo({ country: "NL", hours: HOURS_NL });
    const third = await runNightlyExport();
    await acknowledgeRun({ actor: PLATFORM_ACTOR, runId: third.runId });
    const afterThird = expectedHistogram([
      { country: "DE", months: monthsDe, hours: HOURS_DE },
      { country: "FR", months: monthsFr, hours: HOURS_FR },
      { country: "NL", months: monthsNl, hours: HOURS_NL },
    ]);
    expect(await histogram()).toEqual(afterThird);
    // The earlier run's acknowledgement, late: its objections were counted already.
    await acknowledgeRun({ actor: PLATFORM_ACTOR, runId: second.runId });
    expect(await histogram()).toEqual(afterThird);

    const response = await GET();
    const report = (await response.json()) as TTransparencyReport;
    const medianOf = (country: string, month: string) => report.rows.find((row) => row.country === country && row.month === month)?.median_hours_to_export;
    // Whole months, as every test day gives them: 12 objections 1 to 12 hours old when acknowledged have the median 6.5;
    // ten of 30, 30, 30, 31, 31, 31, 40, 40, 40, 40 have 31.
    if (new Set(monthsDe).size === 1) expect(medianOf("DE", monthsDe[0]!)).toEqual({ value: 6.5, withheld: false });
    if (new Set(monthsFr).size === 1) expect(medianOf("FR", monthsFr[0]!)).toEqual({ value: 31, withheld: false });
    if (new Set(monthsNl).size === 1) expect(medianOf("NL", monthsNl[0]!)).toEqual({ value: 3, withheld: false });
  });
});
