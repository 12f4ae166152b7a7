import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR, systemActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { audiencePreview } from "@/lib/campaigns/audience-preview";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { launchCampaign } from "@/lib/campaigns/launch-campaign";
import { pauseCampaign } from "@/lib/campaigns/pause-campaign";
import { resumeCampaign } from "@/lib/campaigns/resume-campaign";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin } from "@/test/factories";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

const auditOf = async (campaignId: string) =>
  (await db().auditEvent.findMany({ where: { targetType: "campaign", targetId: campaignId }, orderBy: { id: "asc" } })).map(({ actorId, action }) => ({ actorId, action }));

const campaign = () => ({ name: `test ${randomUUID()}`, channels: ["email" as const], countries: ["LI" as const] });

describe("campaign commands with an actor", () => {
  it("an admin's create, launch, pause and resume each write their audit event", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const { id } = await createCampaign({ actor: admin, campaign: campaign() });
    await launchCampaign({ campaignId: id, actor: admin });
    await pauseCampaign({ campaignId: id, actor: admin });
    await resumeCampaign({ campaignId: id, actor: admin });

    expect(await auditOf(id)).toEqual(["campaign_create", "campaign_launch", "campaign_pause", "campaign_resume"].map((action) => ({ actorId: admin.id, action })));
    const created = await db().auditEvent.findFirstOrThrow({ where: { targetId: id, action: "campaign_create" } });
    expect(created.detail).toEqual({ channels: ["email"], countries: ["LI"] });
  });

  it("a refused command records nothing", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const { id } = await createCampaign({ actor: admin, campaign: campaign() });
    await expect(pauseCampaign({ campaignId: id, actor: admin })).rejects.toMatchObject({ code: "conflict" });
    await expect(resumeCampaign({ campaignId: id, actor: admin })).rejects.toMatchObject({ code: "conflict" });
    await expect(launchCampaign({ campaignId: randomUUID(), actor: admin })).rejects.toMatchObject({ code: "not_found", message: "No campaign has this id." });
    expect(await auditOf(id)).toEqual([{ actorId: admin.id, action: "campaign_create" }]);
  });

  it("forbids viewers and reviewers, and changes nothing", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const { id } = await createCampaign({ actor: admin, campaign: campaign() });
    for (const role of ["viewer", "reviewer"] as const) {
      const actor = await createAdmin({ db: pgPool(), role });
      const name = `forbidden ${randomUUID()}`;
      await expect(createCampaign({ actor, campaign: { ...campaign(), name } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(launchCampaign({ campaignId: id, actor })).rejects.toBeInstanceOf(AppError);
      await expect(pauseCampaign({ campaignId: id, actor })).rejects.toMatchObject({ code: "forbidden" });
      await expect(resumeCampaign({ campaignId: id, actor })).rejects.toMatchObject({ code: "forbidden" });
      expect(await db().campaign.count({ where: { name } })).toBe(0);
    }
    expect((await db().campaign.findUniqueOrThrow({ where: { id } })).status).toBe("draft");
    expect(await auditOf(id)).toEqual([{ actorId: admin.id, action: "campaign_create" }]);
  });

  it("the platform's commands work as before, and their audit events name the platform", async () => {
    const { id } = await createCampaign({ actor: PLATFORM_ACTOR, campaign: campaign() });
    await launchCampaign({ campaignId: id, actor: PLATFORM_ACTOR });
    await pauseCampaign({ campaignId: id, actor: PLATFORM_ACTOR });
    await resumeCampaign({ campaignId: id, actor: PLATFORM_ACTOR });
    expect(await auditOf(id)).toEqual(["campaign_create", "campaign_launch", "campaign_pause", "campaign_resume"].map((action) => ({ actorId: null, action })));
  });

  it("a platform launch records the platform as its actor", async () => {
    const { id } = await createCampaign({ actor: PLATFORM_ACTOR, campaign: campaign() });
    await launchCampaign({ campaignId: id, actor: PLATFORM_ACTOR });
    const launch = await db().auditEvent.findFirstOrThrow({ where: { targetType: "campaign", targetId: id, action: "campaign_launch" } });
    expect(launch).toMatchObject({ actorType: "platform", actorId: null });
  });

  it("refuses a member or a job, and changes nothing", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const { id } = await createCampaign({ actor: admin, campaign: campaign() });
    for (const actor of [{ kind: "member", memberId: randomUUID() } as const, systemActor("campaign-batch")]) {
      await expect(launchCampaign({ campaignId: id, actor })).rejects.toMatchObject({ code: "forbidden" });
      await expect(createCampaign({ actor, campaign: campaign() })).rejects.toMatchObject({ code: "forbidden" });
    }
    expect((await db().campaign.findUniqueOrThrow({ where: { id } })).status).toBe("draft");
  });

  it("counts the audience before launch with the launch's own rule: adults in the countries without a live objection, by account or by address", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const before = (await audiencePreview({ actor: admin, countries: ["IS"] })).count!;
    const seventeen = new Date();
    seventeen.setUTCFullYear(seventeen.getUTCFullYear() - 17);
    const add = (birthDate: Date) => {
      const externalId = `audience-${randomUUID()}`;
      return db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "IS", birthDate, locale: "en" } });
    };
    await add(new Date("1990-01-01"));
    await add(new Date("1985-06-30"));
    await add(seventeen);
    const objector = await add(new Date("1970-01-01"));
    await db().objection.create({ data: { memberId: objector.id, email: objector.email, country: "IS", source: "direct", status: "effective" } });
    // An objection kept under an address alone (imported, or made without a link) keeps that address's members out too.
    const byAddress = await add(new Date("1980-01-01"));
    await db().objection.create({ data: { memberId: null, email: byAddress.email, country: "IS", source: "prior", status: "effective" } });

    expect((await audiencePreview({ actor: admin, countries: ["IS"] })).count).toBe(before + 2);
    expect((await audiencePreview({ actor: admin, countries: [] })).count).toBeGreaterThanOrEqual(before + 2);
    // A count can scan every member: only the admins who launch campaigns may run one.
    await expect(audiencePreview({ actor: await createAdmin({ db: pgPool(), role: "viewer" }), countries: ["IS"] })).rejects.toMatchObject({ code: "forbidden" });
  });
});
