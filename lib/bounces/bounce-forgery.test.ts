import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { OLD_VERP_ACCEPTED_UNTIL } from "@/lib/bounces/screen-bounce-report";
import { startBounceListener } from "@/lib/bounces/start-bounce-listener";
import type { TCountedEvent } from "@/lib/metrics/count-events";
import { readMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";
import { sentNotices, setupBounceListenerContext, smtpExchange, stateOf, untouched } from "@/test/bounce-listener-context";
import { abuseReport, BOUNCE_DOMAIN, BOUNCE_LOCAL, deliveryStatusNotification, messageIdFor, oldVerpFor, sendReport, verpFor } from "@/test/bounce-fixtures";


const context = setupBounceListenerContext();
const listener = () => context.listener();

const droppedCounts = async () => {
  const { events } = await readMetricsSnapshot();
  return Object.fromEntries(events.map(({ event, count }) => [event, count])) as Record<TCountedEvent, number>;
};

/** What each dropped-report counter gained since `before`, the ones that did not move left out. */
const droppedSince = async (before: Record<TCountedEvent, number>) => {
  const after = await droppedCounts();
  return Object.fromEntries(Object.entries(after).flatMap(([event, count]) => (count === before[event as TCountedEvent] ? [] : [[event, count - before[event as TCountedEvent]]])));
};

const DAY_MS = 86_400_000;

describe("reports the listener must not believe", () => {
  it("records a genuine report (signed address, quoting the notice's Message-ID) and counts no drop", async () => {
    const [notice] = await sentNotices(1);
    const before = await droppedCounts();
    await sendReport({ port: listener().port, to: [verpFor(notice!.id)], raw: deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "5.1.1" }) });
    expect(await stateOf(notice!.id)).toMatchObject({ bounceKind: "hard", suppressedBy: notice!.id });
    expect(await droppedSince(before)).toEqual({});
  });

  it("records a report that quotes no original headers, and one that quotes only the VERP address (a delivered copy's Return-Path)", async () => {
    const [bare, returnPath] = await sentNotices(2);
    await sendReport({ port: listener().port, to: [verpFor(bare!.id)], raw: deliveryStatusNotification({ notificationId: bare!.id, recipient: bare!.email, status: "5.1.1", quotedMessageId: null }) });
    expect(await stateOf(bare!.id)).toMatchObject({ bounceKind: "hard" });
    await sendReport({ port: listener().port, to: [verpFor(returnPath!.id)], raw: abuseReport({ notificationId: returnPath!.id, recipient: returnPath!.email, quotedMessageId: `<${randomUUID()}@relay.example.eu>` }) });
    expect(await stateOf(returnPath!.id)).toMatchObject({ bounceKind: "complaint" });
  });

  it("answers 250 to a report whose address has a forged MAC, records nothing and counts it as bad_mac", async () => {
    const [notice] = await sentNotices(1);
    const forged = verpFor(notice!.id, { secret: "a-forger-s-guess-at-the-link-secret-00000000" });
    const before = await droppedCounts();
    // The MAC is well formed: it is taken at RCPT (no oracle), and dropped once the report is in.
    const replies = await smtpExchange(listener().port, ["EHLO mx.example.eu", "MAIL FROM:<>", `RCPT TO:<${forged}>`, "QUIT"]);
    expect(replies[3]).toMatch(/^250 /);
    const raw = deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "5.1.1", verp: forged });
    const sent = await sendReport({ port: listener().port, to: [forged], raw });
    expect(sent.response).toMatch(/^250 /);
    expect(await stateOf(notice!.id)).toMatchObject(untouched);
    expect(await droppedSince(before)).toEqual({ bounce_report_dropped_bad_mac: 1 });
  });

  it("drops a complaint about a notice sent more than 30 days ago and counts it as too_old; one sent 30 days ago is recorded", async () => {
    const [old, recent] = await sentNotices(2);
    const before = await droppedCounts();
    const oldSentAt = new Date(Date.now() - 31 * DAY_MS);
    await sendReport({
      port: listener().port,
      to: [verpFor(old!.id, { sentAt: oldSentAt })],
      raw: abuseReport({ notificationId: old!.id, recipient: old!.email, verp: verpFor(old!.id, { sentAt: oldSentAt }), quotedMessageId: messageIdFor(old!.id, { sentAt: oldSentAt }) }),
    });
    expect(await stateOf(old!.id)).toMatchObject(untouched);
    expect(await droppedSince(before)).toEqual({ bounce_report_dropped_too_old: 1 });

    const recentSentAt = new Date(Date.now() - 30 * DAY_MS);
    await sendReport({
      port: listener().port,
      to: [verpFor(recent!.id, { sentAt: recentSentAt })],
      raw: abuseReport({ notificationId: recent!.id, recipient: recent!.email, verp: verpFor(recent!.id, { sentAt: recentSentAt }), quotedMessageId: messageIdFor(recent!.id, { sentAt: recentSentAt }) }),
    });
    expect(await stateOf(recent!.id)).toMatchObject({ bounceKind: "complaint" });
  });

  it("drops a report to a genuine address whose quoted headers are another message's, and counts it as unquoted", async () => {
    const [notice, other] = await sentNotices(2);
    const before = await droppedCounts();
    for (const quotedMessageId of [messageIdFor(other!.id), `<${randomUUID()}@objection.test>`]) {
      await sendReport({ port: listener().port, to: [verpFor(notice!.id)], raw: deliveryStatusNotification({ notificationId: notice!.id, recipient: notice!.email, status: "5.1.1", quotedMessageId }) });
    }
    expect(await stateOf(notice!.id)).toMatchObject(untouched);
    expect(await stateOf(other!.id)).toMatchObject(untouched);
    expect(await droppedSince(before)).toEqual({ bounce_report_dropped_unquoted: 2 });
  });

  it("takes one recipient per report: a second RCPT TO gets 452, so the sender sends it on its own", async () => {
    const [first, second] = await sentNotices(2);
    const replies = await smtpExchange(listener().port, ["EHLO mx.example.eu", "MAIL FROM:<>", `RCPT TO:<${verpFor(first!.id)}>`, `RCPT TO:<${verpFor(second!.id)}>`, "QUIT"]);
    expect(replies[3]).toMatch(/^250 /);
    expect(replies[4]).toMatch(/^452 /);
  });

  it(`records an old-format report (no MAC) until ${OLD_VERP_ACCEPTED_UNTIL.toISOString().slice(0, 10)}, and drops and counts it after`, async () => {
    const [inside, outside] = await sentNotices(2);
    // The old notices' Message-ID was random: <uuid@MAIL_FROM's domain>.
    const oldReport = (notice: { id: string; email: string }) =>
      deliveryStatusNotification({ notificationId: notice.id, recipient: notice.email, status: "5.1.1", verp: oldVerpFor(notice.id), quotedMessageId: `<${randomUUID()}@objection.test>` });
    const during = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, now: () => new Date(OLD_VERP_ACCEPTED_UNTIL.getTime() - 1) });
    const after = await startBounceListener({ port: 0, host: "127.0.0.1", local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, now: () => OLD_VERP_ACCEPTED_UNTIL });
    const before = await droppedCounts();
    try {
      await sendReport({ port: during.port, to: [oldVerpFor(inside!.id)], raw: oldReport(inside!) });
      await sendReport({ port: after.port, to: [oldVerpFor(outside!.id)], raw: oldReport(outside!) });
    } finally {
      await Promise.all([during.stop(), after.stop()]);
    }
    expect(await stateOf(inside!.id)).toMatchObject({ bounceKind: "hard", suppressedBy: inside!.id });
    expect(await stateOf(outside!.id)).toMatchObject(untouched);
    expect(await droppedSince(before)).toEqual({ bounce_report_dropped_old_format: 1 });
  });
});
