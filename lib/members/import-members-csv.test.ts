import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { importMembersCsv, ROW_FIELD, type TBadRow, type TImportProgress } from "@/lib/members/import-members-csv";
import { closePgPool, pgPool } from "@/lib/pg";

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "members-import-"));
});

afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  await closePgPool();
});

const writeCsv = (lines: string[], { ending = "\n" }: { ending?: string } = {}) => {
  const file = path.join(directory, `${randomUUID()}.csv`);
  writeFileSync(file, lines.join(ending));
  return file;
};

const storedMembers = async (prefix: string) => {
  const { rows } = await pgPool().query<{ externalId: string; email: string; country: string; birthDate: string; locale: string | null }>(
    `SELECT "externalId", email, country, to_char("birthDate", 'YYYY-MM-DD') AS "birthDate", locale
     FROM "Member" WHERE "externalId" LIKE $1 || '%' ORDER BY "externalId"`,
    [prefix],
  );
  return rows;
};

/** A file with one of each kind of bad row; the comment after each line is its line number. */
const mixedCsv = (prefix: string) =>
  [
    "externalId,email,country,birthDate,locale", // 1
    `${prefix}-a," Jane.Doe@Example.EU ",DE,1985-06-01,de`, // 2: valid; email normalised
    `${prefix}-b,jan@example.fr,FR,1990-02-03,`, // 3: valid; empty locale is no locale
    `${prefix}-c,not-an-email,DE,1985-06-01,de`, // 4: bad email
    `${prefix}-d,d@example.de,de,1985-06-01,`, // 5: bad country
    `${prefix}-e,e@example.de,DE,2999-01-01,de`, // 6: birthDate in the future
    `${prefix}-f,f@example.de,AT`, // 7: birthDate and locale columns missing
    `${prefix}-g,"g@example.de,DE,1985-06-01,de`, // 8: unclosed quote
    `${prefix}-h,h@example.de,IT,1970-12-31,it`, // 9: valid, right after the unclosed quote
    "", // 10: empty, ignored
    `${prefix}-a,jane.new@Example.EU,AT,1985-06-01,en`, // 11: repeats line 2's externalId: this one wins
    `${prefix}-i,i@example.de,DE,1985-06-01,de,extra`, // 12: one value too many
    `${prefix}-j,"j@example.de"x,DE,1985-06-01,de`, // 13: text after a closing quote
    `${prefix}-k,k@Example.DE,SE,2000-01-01,`, // 14: valid, the last line has no line break
  ];

const EXPECTED_BAD_ROWS: TBadRow[] = [
  { line: 4, field: "email", reason: "email must be an email address" },
  { line: 5, field: "country", reason: "country must be an assigned ISO 3166-1 alpha-2 code in capitals, e.g. DE (GR for Greece, GB for the United Kingdom)" },
  { line: 6, field: "birthDate", reason: "birthDate must not be in the future" },
  { line: 7, field: "birthDate", reason: "birthDate must be a date as YYYY-MM-DD" },
  { line: 8, field: ROW_FIELD, reason: "a quoted value is not closed on this line" },
  { line: 12, field: ROW_FIELD, reason: "the row has more values than the header has columns" },
  { line: 13, field: ROW_FIELD, reason: "a quoted value is followed by something other than a comma" },
];

describe("importMembersCsv", () => {
  it("imports the valid rows, reports each bad row by line and field, and keeps the last of a repeated externalId", async () => {
    const prefix = `import-${randomUUID()}`;
    const file = writeCsv(mixedCsv(prefix));
    const badRows: TBadRow[] = [];

    const result = await importMembersCsv({ actor: PLATFORM_ACTOR, file, onBadRow: (badRow) => badRows.push(badRow) });

    expect(badRows).toEqual(EXPECTED_BAD_ROWS);
    // Lines 2 and 11 are one member: created by the first, updated by the second.
    expect(result).toEqual({ created: 4, updated: 1, skipped: 7, rows: 5 });
    expect(await storedMembers(prefix)).toEqual([
      { externalId: `${prefix}-a`, email: "jane.new@example.eu", country: "AT", birthDate: "1985-06-01", locale: "en" },
      { externalId: `${prefix}-b`, email: "jan@example.fr", country: "FR", birthDate: "1990-02-03", locale: null },
      { externalId: `${prefix}-h`, email: "h@example.de", country: "IT", birthDate: "1970-12-31", locale: "it" },
      { externalId: `${prefix}-k`, email: "k@example.de", country: "SE", birthDate: "2000-01-01", locale: null },
    ]);
  });

  it("updates instead of creating when the same file is imported again", async () => {
    const prefix = `import-${randomUUID()}`;
    const file = writeCsv(mixedCsv(prefix));
    await importMembersCsv({ actor: PLATFORM_ACTOR, file });

    const again = await importMembersCsv({ actor: PLATFORM_ACTOR, file });

    expect(again).toEqual({ created: 0, updated: 5, skipped: 7, rows: 5 });
    expect(await storedMembers(prefix)).toHaveLength(4);
  });

  it("counts the same whatever the batch size, with a repeated externalId across batches", async () => {
    const prefix = `import-${randomUUID()}`;
    const badRows: TBadRow[] = [];

    const result = await importMembersCsv({ actor: PLATFORM_ACTOR, file: writeCsv(mixedCsv(prefix)), batchSize: 2, onBadRow: (badRow) => badRows.push(badRow) });

    expect(result).toEqual({ created: 4, updated: 1, skipped: 7, rows: 5 });
    expect(badRows).toEqual(EXPECTED_BAD_ROWS);
    expect((await storedMembers(prefix)).find((member) => member.externalId === `${prefix}-a`)?.email).toBe("jane.new@example.eu");
  });

  it("reads CRLF line endings, a file without the locale column, and keeps line numbers after a blanked line", async () => {
    const prefix = `import-${randomUUID()}`;
    const badRows: TBadRow[] = [];
    const file = writeCsv(
      ["externalId,email,country,birthDate", `${prefix}-a,"a@example.de,DE,1985-06-01`, `${prefix}-b,b@example.de,DE,1985-06-01`, `${prefix}-c,c@example,DE,1985-06-01`, ""],
      { ending: "\r\n" },
    );

    const result = await importMembersCsv({ actor: PLATFORM_ACTOR, file, onBadRow: (badRow) => badRows.push(badRow) });

    expect(badRows.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 2, field: ROW_FIELD },
      { line: 4, field: "email" },
    ]);
    expect(result).toEqual({ created: 1, updated: 0, skipped: 2, rows: 1 });
    expect(await storedMembers(prefix)).toEqual([{ externalId: `${prefix}-b`, email: "b@example.de", country: "DE", birthDate: "1985-06-01", locale: null }]);
  });

  it("reports a row holding NUL or another control character in any cell by its line, and imports the rest", async () => {
    const prefix = `import-${randomUUID()}`;
    const badRows: TBadRow[] = [];
    const file = writeCsv([
      "externalId,email,country,birthDate,locale", // 1
      `${prefix}-a,a@example.de,DE,1985-06-01,de`, // 2: valid
      `${prefix}-b\u0000,b@example.de,DE,1985-06-01,de`, // 3: NUL in externalId
      `${prefix}-c,c\u0000@example.de,DE,1985-06-01,de`, // 4: NUL in email
      `${prefix}-d,d@example.de,D\u0000,1985-06-01,de`, // 5: NUL in country
      `${prefix}-e,e@example.de,DE,1985-06-01\u0000,de`, // 6: NUL in birthDate
      `${prefix}-f,f@example.de,DE,1985-06-01,de\u0000`, // 7: NUL in locale
      `${prefix}-g\tx,g@example.de,DE,1985-06-01,de`, // 8: a tab inside an externalId
      `${prefix}-h\u001b,h@example.de,DE,1985-06-01,de`, // 9: an escape character
      `${prefix}-i,i@example.de,DE,1985-06-01,de`, // 10: valid
    ]);

    const result = await importMembersCsv({ actor: PLATFORM_ACTOR, file, onBadRow: (badRow) => badRows.push(badRow) });

    expect(badRows.map(({ line, field }) => ({ line, field }))).toEqual([
      { line: 3, field: "externalId" },
      { line: 4, field: "email" },
      { line: 5, field: "country" },
      { line: 6, field: "birthDate" },
      { line: 7, field: "locale" },
      { line: 8, field: "externalId" },
      { line: 9, field: "externalId" },
    ]);
    expect(result).toEqual({ created: 2, updated: 0, skipped: 7, rows: 2 });
    expect((await storedMembers(prefix)).map((member) => member.externalId)).toEqual([`${prefix}-a`, `${prefix}-i`]);
  });

  it("imports internationalised addresses, normalised", async () => {
    const prefix = `import-${randomUUID()}`;
    const badRows: TBadRow[] = [];
    const file = writeCsv(["externalId,email,country,birthDate", `${prefix}-a,Jürgen@Müller.DE,DE,1985-06-01`, `${prefix}-b,用户@例子.广告,AT,1985-06-01`]);

    const result = await importMembersCsv({ actor: PLATFORM_ACTOR, file, onBadRow: (badRow) => badRows.push(badRow) });

    expect(badRows).toEqual([]);
    expect(result).toEqual({ created: 2, updated: 0, skipped: 0, rows: 2 });
    expect((await storedMembers(prefix)).map(({ email }) => email)).toEqual(["jürgen@müller.de", "用户@例子.广告"]);
  });

  it("refuses a file whose header lacks a column, without echoing the first row", async () => {
    const file = writeCsv(["x-1,someone@example.eu,DE,1985-06-01"]);

    const failure = importMembersCsv({ actor: PLATFORM_ACTOR, file });

    await expect(failure).rejects.toMatchObject({ name: "AppError", code: "invalid_file" });
    await expect(failure).rejects.toThrow(/lacks externalId, email, country, birthDate; has unknown columns at positions 1, 2, 3, 4/);
    await expect(failure).rejects.not.toThrow(/@/);
  });

  it("reports progress with the bytes read, the file's size and the rows read", async () => {
    const prefix = `import-${randomUUID()}`;
    const rows = Array.from({ length: 20_000 }, (_, index) => `${prefix}-${index},m${index}@example.eu,DE,1985-06-01,de`);
    const file = writeCsv(["externalId,email,country,birthDate,locale", ...rows]);
    const progress: (TImportProgress & { at: number })[] = [];
    const started = Date.now();

    const result = await importMembersCsv({ actor: PLATFORM_ACTOR, file, onProgress: (update) => progress.push({ ...update, at: Date.now() }) });

    const elapsed = Date.now() - started;

    expect(result).toEqual({ created: 20_000, updated: 0, skipped: 0, rows: 20_000 });
    progress.forEach((update, index) => {
      expect(update.bytesRead).toBeLessThanOrEqual(update.totalBytes);
      expect(update.rows).toBeLessThanOrEqual(20_000);
      expect(update.rows).toBeGreaterThanOrEqual(progress[index - 1]?.rows ?? 0);
    });
    // At most one update each 200 ms. Counted, not timed between callbacks: a pause (a garbage
    // collection under load) between the importer's clock and this callback's moved one by 8 ms.
    expect(progress.length).toBeLessThanOrEqual(Math.floor(elapsed / 200));
  });
});

const runCli = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/members-import.ts", ...args], {
      env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

describe("npm run members:import", () => {
  it("imports a file, lists the bad rows by line on stderr and prints a summary", async () => {
    const prefix = `import-cli-${randomUUID()}`;

    const { code, stdout, stderr } = await runCli([writeCsv(mixedCsv(prefix))]);

    expect(code).toBe(0);
    expect(stdout.trim()).toBe("Imported 5 rows (4 created, 1 updated); skipped 7 bad rows.");
    expect(stderr).toContain("line 4: email: email must be an email address\n");
    expect(stderr).toContain("line 8: (row): a quoted value is not closed on this line\n");
    expect(stderr.match(/^line \d+:/gm)).toHaveLength(7);
    // Never an email address in the output, not even a bad one.
    expect(`${stdout}${stderr}`).not.toContain("@");
    expect(await storedMembers(prefix)).toHaveLength(4);
  });

  it("stops with exit code 2 and one line for a missing file or argument", async () => {
    const missing = await runCli([path.join(directory, "no-such-file.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^File not found: .*no-such-file\.csv\. Usage: npm run members:import -- FILE\.csv$/)]);

    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe("Usage: npm run members:import -- FILE.csv");
  });

  it("stops with exit code 1 and one line, no stack trace, when the database is down", async () => {
    const file = writeCsv(["externalId,email,country,birthDate", `down-${randomUUID()},a@example.de,DE,1985-06-01`]);

    const { code, stdout, stderr } = await runCli([file], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/objection" });

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^members:import failed: connect ECONNREFUSED 127\.0\.0\.1:1\. /)]);
  });
});
