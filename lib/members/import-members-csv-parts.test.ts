import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { importMembersCsv, type TBadRow } from "@/lib/members/import-members-csv";
import { closePgPool, pgPool } from "@/lib/pg";

// The import's parts: each copied, merged and committed on its own (lib/members/member-import-parts.ts).

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "members-import-parts-"));
});

afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  await closePgPool();
});

const writeMembersCsv = (header: string, rows: string[]) => {
  const file = path.join(directory, `${randomUUID()}.csv`);
  writeFileSync(file, [header, ...rows].join("\n"));
  return file;
};

/** Every column but updatedAt, which an import sets on each member it touches. */
const storedColumns = async (prefix: string) =>
  (
    await pgPool().query<{ externalId: string }>(
      `SELECT id, "externalId", email, country, "birthDate", locale, "createdAt" FROM "Member" WHERE "externalId" LIKE $1 || '%' ORDER BY "externalId"`,
      [prefix],
    )
  ).rows;

describe("importMembersCsv in parts", () => {
  it("changes nothing when the same file, in several parts, is imported again", async () => {
    const prefix = `import-${randomUUID()}`;
    // A backslash means something to COPY: it must arrive as written.
    const file = writeMembersCsv(
      "externalId,email,country,birthDate,locale",
      Array.from({ length: 7 }, (_, index) => `${prefix}-${index}\\x,m${index}@example.eu,DE,1985-06-01,${index % 2 ? "de" : ""}`),
    );
    const first = await importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: 3 });
    const before = await storedColumns(prefix);

    const again = await importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: 3 });

    expect(first).toEqual({ created: 7, updated: 0, skipped: 0, rows: 7 });
    expect(again).toEqual({ created: 0, updated: 7, skipped: 0, rows: 7 });
    expect(before.map((member) => member.externalId)).toContain(`${prefix}-0\\x`);
    expect(await storedColumns(prefix)).toEqual(before);
  });

  it("keeps the parts committed before a part the database refuses, and a rerun completes the import", async () => {
    const prefix = `import-${randomUUID()}`;
    const ids = Array.from({ length: 10 }, (_, index) => `${prefix}-${String(index).padStart(2, "0")}`);
    const file = writeMembersCsv(
      "externalId,email,country,birthDate",
      ids.map((id, index) => `${id},m${index}@example.eu,DE,1985-06-01`),
    );
    // Parts of 3 rows: the eighth row is in the third part, which the database refuses.
    await pgPool().query(`
      CREATE FUNCTION refuse_member_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."externalId" = '${ids[7]}' THEN RAISE EXCEPTION 'member refused by the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_member_for_test BEFORE INSERT ON "Member" FOR EACH ROW EXECUTE FUNCTION refuse_member_for_test();`);
    try {
      await expect(importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: 3 })).rejects.toThrow("member refused by the test");
    } finally {
      await pgPool().query(`DROP TRIGGER refuse_member_for_test ON "Member"; DROP FUNCTION refuse_member_for_test();`);
    }
    expect((await storedColumns(prefix)).map((member) => member.externalId)).toEqual(ids.slice(0, 6));

    const rerun = await importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: 3 });

    expect(rerun).toEqual({ created: 4, updated: 6, skipped: 0, rows: 10 });
    expect((await storedColumns(prefix)).map((member) => member.externalId)).toEqual(ids);
  });
});

describe("importMembersCsv when a part's COPY fails", () => {
  const partSize = 20_000;

  /**
   * Five parts of members, with a row the schema refuses in the last part: reported only if the import
   * reads on to it. `birthDateAt` gives a row's birth date.
   */
  const fileOfParts = (prefix: string, birthDateAt: (index: number) => string = () => "1985-06-01") => {
    const ids = Array.from({ length: 5 * partSize }, (_, index) => `${prefix}-${String(index).padStart(6, "0")}`);
    const rows = ids.map((id, index) => `${id},m${index}-${prefix}@example.eu,DE,${birthDateAt(index)}`);
    rows[rows.length - 2] = `${prefix}-bad,not an address,DE,1985-06-01`;
    return { ids, file: writeMembersCsv("externalId,email,country,birthDate", rows) };
  };

  const committed = async (prefix: string) => (await pgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "Member" WHERE "externalId" LIKE $1 || '%'`, [prefix])).rows[0]!.n;

  it("stops at the line the database refuses at the start of a part's COPY, names it, and keeps the parts committed before", async () => {
    const prefix = `import-${randomUUID()}`;
    // PostgreSQL has no year 0, which the schema's date check lets through: the first row of the second part.
    const { ids, file } = fileOfParts(prefix, (index) => (index === partSize ? "0000-01-01" : "1985-06-01"));
    const badRows: TBadRow[] = [];

    const failure = await importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: partSize, onBadRow: (badRow) => badRows.push(badRow) }).catch((error: unknown) => error);

    // The header is line 1.
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "invalid", message: `The database refused line ${partSize + 2}: date/time field value out of range: "0000-01-01"` });
    expect(badRows).toEqual([]);
    expect((await storedColumns(prefix)).map((member) => member.externalId)).toEqual(ids.slice(0, partSize));
  });

  it("stops when the connection of a part's COPY is dropped mid-copy, says so, and keeps the parts committed before", async () => {
    const prefix = `import-${randomUUID()}`;
    const { file } = fileOfParts(prefix);
    const badRows: TBadRow[] = [];
    const importing = importMembersCsv({ actor: PLATFORM_ACTOR, file, batchSize: partSize, onBadRow: (badRow) => badRows.push(badRow) });
    importing.catch(() => undefined);
    // Once the first part is committed, the COPY of a later part is cut off.
    while ((await committed(prefix)) === 0) await sleep(20);
    const terminateCopy = async () =>
      (
        await pgPool().query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'objection-direct' AND state = 'active' AND query LIKE 'COPY member_import_staging%'`,
        )
      ).rowCount;
    // Between two parts no COPY runs for a moment.
    while (!(await terminateCopy())) await sleep(5);

    const failure = await importing.catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "unavailable", message: expect.stringContaining("The connection to the database was lost while a part was copied") });
    expect(badRows).toEqual([]);
    const kept = await committed(prefix);
    expect(kept).toBeGreaterThanOrEqual(partSize);
    // Whole parts only.
    expect(kept % partSize).toBe(0);
  });
});
