// Demo members, each with an email notification whose personal link the demo prints.
// Idempotent: run it again and it changes nothing.
import { db } from "@/lib/db";
import { assertEnv, env } from "@/lib/env";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { maskEmail } from "@/lib/members/mask-email";
import { closePgPool } from "@/lib/pg";
import { DEMO_MEMBERS } from "@/prisma/demo-members";

const DEMO_CAMPAIGN_NAME = "Demo notice";

const main = async () => {
  assertEnv();
  const links: string[] = [];
  // Every notice belongs to a campaign (the partition it lives in): the demo's, already sent.
  const campaign =
    (await db().campaign.findFirst({ where: { name: DEMO_CAMPAIGN_NAME } })) ??
    (await db().campaign.create({ data: { name: DEMO_CAMPAIGN_NAME, channels: ["email", "in_app"], status: "done", launchedAt: new Date(), audienceAt: new Date(), completedAt: new Date() } }));
  for (const demo of DEMO_MEMBERS) {
    const member = await db().member.upsert({
      where: { externalId: demo.externalId },
      create: { ...demo, birthDate: new Date(demo.birthDate) },
      update: {},
    });
    const notification =
      (await db().notification.findFirst({ where: { memberId: member.id, channel: "email" } })) ??
      (await db().notification.create({ data: { memberId: member.id, campaignId: campaign.id, channel: "email", status: "sent", sentAt: new Date() } }));
    // An in-app notice too, for the demo integration page (/demo/app/<externalId>).
    if (!(await db().notification.findFirst({ where: { memberId: member.id, channel: "in_app" } }))) {
      await db().notification.create({ data: { memberId: member.id, campaignId: campaign.id, channel: "in_app", status: "sent", sentAt: new Date() } });
    }
    links.push(`  ${maskEmail(member.email).padEnd(22)} ${member.country}  ${personalLinkUrl({ subject: { kind: "notification", id: notification.id } })}`);
  }
  console.log(`Seeded ${DEMO_MEMBERS.length} demo members. Personal links to try:\n${links.join("\n")}`);
  console.log(`\nThe platform's app with its in-app notice (demo integration): ${env().APP_URL}/demo/app/${DEMO_MEMBERS[0].externalId}`);
  // Prisma borrows the process's one pool: closing it is what lets the script exit at once.
  await closePgPool();
};

main().catch((error: unknown) => {
  console.error(`[seed] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
