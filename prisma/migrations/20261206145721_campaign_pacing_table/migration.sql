-- CreateTable
CREATE TABLE "CampaignPacing" (
    "campaignId" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "ratePerSecond" INTEGER,
    "waitedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CampaignPacing_pkey" PRIMARY KEY ("campaignId","domain")
);

-- AddForeignKey
ALTER TABLE "CampaignPacing" ADD CONSTRAINT "CampaignPacing_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Each entry of "pacedDomains" was `domain=rate@epoch seconds`, or a bare `domain` (written before
-- rates were), which counted as of "pacedAt". A rate that is not a whole number above 0 was shown
-- as none. A domain listed twice keeps its latest wait, the entry with a rate on a tie.
INSERT INTO "CampaignPacing" ("campaignId", "domain", "ratePerSecond", "waitedAt")
SELECT DISTINCT ON (c."id", e."domain") c."id", e."domain", e."rate", e."waitedAt"
  FROM "Campaign" c
  CROSS JOIN LATERAL unnest(c."pacedDomains") AS entry
  CROSS JOIN LATERAL (
    SELECT split_part(split_part(entry, '@', 1), '=', 1) AS "domain",
           CASE WHEN split_part(split_part(entry, '@', 1), '=', 2) ~ '^[0-9]{1,9}$'
                THEN nullif(split_part(split_part(entry, '@', 1), '=', 2)::int, 0) END AS "rate",
           CASE WHEN split_part(entry, '@', 2) ~ '^[0-9]{1,12}$'
                THEN to_timestamp(split_part(entry, '@', 2)::bigint) ELSE c."pacedAt" END AS "waitedAt"
  ) AS e
 WHERE e."domain" <> '' AND e."waitedAt" IS NOT NULL
 ORDER BY c."id", e."domain", e."waitedAt" DESC, e."rate" IS NULL;

-- AlterTable
ALTER TABLE "Campaign" DROP COLUMN "pacedAt",
DROP COLUMN "pacedDomains";
