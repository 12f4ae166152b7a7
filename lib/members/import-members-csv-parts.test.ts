import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { importMembersCsv } from "@/lib/members/import-members-csv";
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
