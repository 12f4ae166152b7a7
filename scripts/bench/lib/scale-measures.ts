import pg from "pg";

import { LINK_HOLDER } from "@/lib/auth/actor";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { CLAIM, RECORD_SENT, type TClaimedRow } from "@/lib/campaigns/send-campaign-batch-sql";
import { stageRunSql } from "@/lib/exports/export-run-sql";
import { PREVIOUS_RUN_SQL, type TPreviousRunRow } from "@/lib/exports/export-sql";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { mintLinkToken } from "@/lib/links/token";
import { readMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";
import { listObjections } from "@/lib/objections/list-objections";
import { ZObjectionFilters } from "@/lib/objections/objection-filters";
import { submitObjection } from "@/lib/objections/submit-objection";
import { TEST_ENV } from "@/test/test-env";

import { createSendingCampaign, membersWithoutObjection, type TScaleCampaigns } from "./scale-seed";
import { timedRuns } from "./report";

// What scripts/bench/scale.ts measures at each size: the per-request and per-chunk costs that must
// not grow with the tables. Each returns the p95 in ms of `runs` runs (after one warm-up).

const VIEWER = { kind: "admin" as const, id: "00000000-0000-4000-8000-000000000001", role: "viewer" as const };
const SEND_CHUNK = 25;

/** One chunk as the send job commits it: claim 25 queued emails of one batch, record them sent. */
const sendChunk = async ({ pool, campaignId, batch }: { pool: pg.Pool; campaignId: string; batch: number }) => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const claimed = (await client.query<TClaimedRow>(CLAIM, [campaignId, batch, [], SEND_CHUNK, null, []])).rows;
    const ids = claimed.map((row) => row.id);
    await client.query(RECORD_SENT, [ids, ids.map(() => "en"), ids.map(() => "scale"), ids.map(() => "250 queued"), campaignId]);
    await client.query("COMMIT");
    return ids.length;
  } finally {
    client.release();
  }
};

export const measureClaimAndSend = async ({ pool, newest, runs }: { pool: pg.Pool; newest: number; runs: number }) => {
  // Enough queued emails for every run, 40 chunks to a batch of 1,000.
  const campaignId = await createSendingCampaign({ pool, size: Math.ceil((runs + 1) / 40) * 1000, newest });
  let chunk = 0;
  return timedRuns({
    runs,
    work: async () => {
      const sent = await sendChunk({ pool, campaignId, batch: Math.floor(chunk++ / 40) });
      if (sent !== SEND_CHUNK) throw new Error(`a chunk claimed ${sent} emails, not ${SEND_CHUNK}`);
    },
  });
};

/** The form's submit and the link page, each for a different member every run (members without an objection). */
export const measureMemberPaths = async ({ pool, newest, runs }: { pool: pg.Pool; newest: number; runs: number }) => {
  const members = await membersWithoutObjection({ pool, newest, count: 2 * (runs + 1) });
  const forLinks = members.slice(0, runs + 1);
  const forSubmits = members.slice(runs + 1);
  const expiresAt = new Date(Date.now() + 86_400_000);
  let link = 0;
  const linkPage = await timedRuns({
    runs,
    work: async () => {
      const token = mintLinkToken({ subject: { kind: "notification", id: forLinks[link++]!.notificationId }, expiresAt, secret: TEST_ENV.LINK_SECRET });
      const opened = await openPersonalLink({ actor: LINK_HOLDER, token });
      if (!opened.ok) throw new Error(`a link did not open: ${opened.reason}`);
    },
  });
  let submit = 0;
  const submitForm = await timedRuns({
    runs,
    work: async () => {
      const member = forSubmits[submit++]!;
      const result = await submitObjection({ actor: LINK_HOLDER, subject: { kind: "notification", id: member.notificationId }, country: member.country, source: "email_link" });
      if (result.status !== "created") throw new Error(`a submit answered ${result.status}`);
    },
  });
  return { linkPage, submitForm };
};

/** The console's queue (first page, no filter), a campaign's progress and the metrics snapshot. */
export const measurePolledReads = async ({ campaigns, runs }: { campaigns: TScaleCampaigns; runs: number }) => ({
  queue: await timedRuns({ runs, work: () => listObjections({ actor: VIEWER, filters: ZObjectionFilters.parse({}) }) }),
  progress: await timedRuns({ runs, work: () => campaignStats(campaigns.email) }),
  metrics: await timedRuns({ runs, work: () => readMetricsSnapshot() }),
});

/**
 * 10,000 changes since the last run (5,000 withdrawals, 5,000 new objections), then the export's
 * delta step alone: the statements that stage the next run, in its REPEATABLE READ transaction,
 * rolled back so every run sees the same 10,000 changes. Needs a run in the chain already.
 */
export const measureExportDelta = async ({ pool, newest, runs }: { pool: pg.Pool; newest: number; runs: number }) => {
  await pool.query(
    `UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = now()
     WHERE id IN (SELECT o.id FROM generate_series(1, 5000) AS k JOIN "Member" m ON m."externalId" = 'scale-' || ($1::int - k * 10)
                  JOIN "Objection" o ON o."memberId" = m.id AND o.status = 'effective')`,
    [newest],
  );
  await pool.query(
    `INSERT INTO "Objection" ("memberId", email, country, source, status, "effectiveAt")
     SELECT m.id, m.email, m.country, 'direct', 'effective', now() - interval '1 minute'
     FROM generate_series(1, 5000) AS k JOIN "Member" m ON m."externalId" = 'scale-' || ($1::int - k * 10 - 5)`,
    [newest],
  );
  const client = await pool.connect();
  try {
    return await timedRuns({
      runs,
      work: async () => {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
        try {
          const previous = (await client.query<TPreviousRunRow>(PREVIOUS_RUN_SQL)).rows[0];
          if (!previous) throw new Error("no export run in the chain yet");
          await client.query(`SET LOCAL work_mem = '128MB'`);
          const stage = { hashKey: TEST_ENV.EXPORT_HASH_KEY, cutoff: new Date(), runId: previous.id, previousLastSeq: previous.lastSeq ?? "0" };
          for (const statement of stageRunSql({ fresh: false, full: false, ...stage })) await client.query(statement.text, statement.values);
        } finally {
          await client.query("ROLLBACK");
        }
      },
    });
  } finally {
    client.release();
  }
};

/** Disk used by "Notification" (heap, indexes, TOAST; every partition's, or the one table's before partitioning) per million rows, in MB. */
export const notificationDiskPerMillion = async (pool: pg.Pool) => {
  const { rows } = await pool.query<{ bytes: string; rows: string }>(
    `SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('"Notification"')), pg_total_relation_size('"Notification"')) AS bytes,
            (SELECT count(*) FROM "Notification") AS rows`,
  );
  return (Number(rows[0]!.bytes) / Number(rows[0]!.rows)) * 1e6 / 1024 ** 2;
};
