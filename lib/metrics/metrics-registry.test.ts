import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { jobs, QUEUES, stopJobs } from "@/lib/jobs";
import { countEvents } from "@/lib/metrics/count-events";
import { metricsRegistry } from "@/lib/metrics/metrics-registry";
import { readMetricsSnapshot, type TMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";

afterAll(async () => {
  await stopJobs();
  await db().$disconnect();
});

const objections = (snapshot: TMetricsSnapshot, status: string) => snapshot.objections.find((row) => row.status === status)?.count ?? 0;
const emails = (snapshot: TMetricsSnapshot, kind: string, outcome: string) => snapshot.emails.find((row) => row.kind === kind && row.outcome === outcome)?.count ?? 0;
const waiting = (snapshot: TMetricsSnapshot, queue: string) => snapshot.queues.find((row) => row.queue === queue)?.waiting ?? 0;

describe("metrics", () => {
  it("counts what was stored: objections by status, notices sent and failed, receipts, waiting jobs", async () => {
    const before = await readMetricsSnapshot();
    const externalId = `metrics-${randomUUID()}`;
    const member = await db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "DE", birthDate: new Date("1980-01-01") } });
    const objection = await db().objection.create({ data: { memberId: member.id, email: member.email, country: "DE", source: "direct" } });
    await db().objectionEvent.create({ data: { objectionId: objection.id, type: "receipt_failed", actorType: "system" } });
    const campaign = await db().campaign.create({ data: { name: `metrics ${externalId}`, channels: ["email"] } });
    await db().notification.create({ data: { campaignId: campaign.id, memberId: member.id, channel: "email", status: "failed", attempts: 3 } });
    // A job nobody works in this test: it waits.
    await (await jobs()).send(QUEUES.dashboardSummary.name, {});

    const after = await readMetricsSnapshot();

    expect(objections(after, "effective") - objections(before, "effective")).toBe(1);
    expect(emails(after, "notice", "failed") - emails(before, "notice", "failed")).toBe(1);
    expect(emails(after, "notice", "sent")).toBe(emails(before, "notice", "sent"));
    expect(emails(after, "receipt", "failed") - emails(before, "receipt", "failed")).toBe(1);
    expect(waiting(after, QUEUES.dashboardSummary.name)).toBeGreaterThanOrEqual(1);
  });

  it("adds counted events to their running totals, every known event listed from 0", async () => {
    const count = (snapshot: TMetricsSnapshot, event: string) => snapshot.events.find((row) => row.event === event)?.count;
    const before = await readMetricsSnapshot();
    expect(count(before, "link_request_refused_ceiling")).toBeGreaterThanOrEqual(0);
    await countEvents({ bounce_report_dropped_bad_mac: 2, link_request_refused_ceiling: 0 });
    await countEvents({ bounce_report_dropped_bad_mac: 1 });
    const after = await readMetricsSnapshot();
    expect(count(after, "bounce_report_dropped_bad_mac")! - count(before, "bounce_report_dropped_bad_mac")!).toBe(3);
    expect(count(after, "link_request_refused_ceiling")).toBe(count(before, "link_request_refused_ceiling"));
    expect(await metricsRegistry().metrics()).toMatch(/^objection_events_total\{event="bounce_report_dropped_bad_mac"\} \d+$/m);
  });

  it("says which webhook endpoint is disabled, how long it has been failing, and its pending deliveries", async () => {
    const failingSince = new Date(Date.now() - 3 * 86_400_000);
    const endpoint = await db().webhookEndpoint.create({ data: { url: "https://pipeline.example.eu/hooks", events: ["objection_effective"], secret: "whsec_dGVzdA==", failingSince, disabledAt: new Date() } });
    const row = (await readMetricsSnapshot()).webhooks.find((webhook) => webhook.endpoint === endpoint.id);
    expect(row).toMatchObject({ disabled: true, pending: 0 });
    expect(row!.failingSeconds).toBeGreaterThanOrEqual(3 * 86_400);
    await db().webhookEndpoint.delete({ where: { id: endpoint.id } });
  });

  it("serves them in Prometheus's text format", async () => {
    const text = await metricsRegistry().metrics();
    for (const name of ["objection_objections", "objection_emails", "objection_job_queue_depth", "objection_job_queue_oldest_seconds", "objection_export_acknowledged", "objection_export_last_run_failed", "objection_webhook_endpoint_disabled"]) {
      expect(text).toContain(`# TYPE ${name} gauge`);
    }
    expect(text).toMatch(/^objection_objections\{status="effective"\} \d+$/m);
    expect(text).toMatch(/^objection_emails\{kind="notice",outcome="failed"\} \d+$/m);
  });
});
