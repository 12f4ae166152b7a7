import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET } from "@/app/transparency.json/route";
import { closePgPool, pgPool } from "@/lib/pg";
import { TEST_ENV } from "@/test/test-env";

// The file's own database (test/file-database.ts): the counters are seeded as the triggers and the
// acknowledgement would have left them, several shards to a key.
beforeAll(async () => {
  Object.assign(process.env, TEST_ENV);
  await pgPool().query(`
    INSERT INTO "TransparencyCounter" (country, month, shard, "noticesSent", reached, objections, withdrawals) VALUES
      ('DE', '2019-03-01', 0, 0, 4, 3, 1), ('DE', '2019-03-01', 1, 0, 5, 7, 0),
      ('FR', '2019-03-01', 0, 1234, 0, 0, 0),
      ('AT', '2019-03-01', 0, 0, 0, 0, 0),
      ('IE', '2019-03-01', 3, 20, 0, 0, 0),
      ('FR', '2019-02-01', 0, 9, 10, 11, 12)`);
  await pgPool().query(`
    INSERT INTO "TransparencyExportHours" (country, month, hours, count) VALUES
      ('DE', '2019-03-01', 5, 9), ('FR', '2019-03-01', 10, 5), ('FR', '2019-03-01', 20, 5), ('FR', '2019-02-01', 2160, 10)`);
  // As the acknowledgement that filled the histogram would have left its medians.
  await pgPool().query(`SELECT refresh_transparency_medians(ARRAY['DE', 'FR', 'FR'], ARRAY['2019-03-01', '2019-03-01', '2019-02-01']::date[])`);
});

afterAll(async () => {
  await closePgPool();
});

const shown = (value: number | null) => ({ value, withheld: false });
const WITHHELD = { value: null, withheld: true };

describe("GET /transparency.json", () => {
  it("answers every country and month with a figure, newest month first, withholding every count from 1 to 9 and a median of 1 to 9 objections", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60, s-maxage=300");
    const report = (await response.json()) as { generated_at: string; smallest_shown: number; rows: unknown[] };
    expect(report.smallest_shown).toBe(10);
    expect(new Date(report.generated_at).getTime()).not.toBeNaN();
    expect(report.rows).toEqual([
      {
        country: "DE",
        month: "2019-03",
        notices_sent: shown(0),
        reached: WITHHELD,
        objections: shown(10),
        withdrawals: WITHHELD,
        median_hours_to_export: WITHHELD,
      },
      {
        country: "FR",
        month: "2019-03",
        notices_sent: shown(1234),
        reached: shown(0),
        objections: shown(0),
        withdrawals: shown(0),
        median_hours_to_export: shown(15),
      },
      {
        country: "IE",
        month: "2019-03",
        notices_sent: shown(20),
        reached: shown(0),
        objections: shown(0),
        withdrawals: shown(0),
        median_hours_to_export: shown(null),
      },
      {
        country: "FR",
        month: "2019-02",
        notices_sent: WITHHELD,
        reached: shown(10),
        objections: shown(11),
        withdrawals: shown(12),
        median_hours_to_export: shown(2160),
      },
    ]);
    // A key whose figures are all 0 (AT) is no row at all; a median of no objection (IE) is none, not withheld.
    expect(JSON.stringify(report)).not.toContain('"AT"');
  });
});
