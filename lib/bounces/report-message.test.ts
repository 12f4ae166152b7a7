import { randomUUID } from "node:crypto";

import PostalMime from "postal-mime";
import { afterEach, describe, expect, it, vi } from "vitest";

import { parseBounceReport } from "@/lib/bounces/parse-bounce-report";
import { reportMessage } from "@/lib/bounces/report-message";
import { screenBounceReport } from "@/lib/bounces/screen-bounce-report";
import { BOUNCE_DOMAIN, BOUNCE_LOCAL, deliveryStatusNotification, verpFor } from "@/test/bounce-fixtures";
import { TEST_ENV } from "@/test/test-env";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a received report", () => {
  it("is parsed once when screening needs its parts and reading needs them again", async () => {
    const parse = vi.spyOn(PostalMime, "parse");
    const notificationId = randomUUID();
    // Quotes the VERP address but not the notice's Message-ID: screening must look at the parts.
    const quotedHeaders = `Return-Path: <${verpFor(notificationId)}>\nMessage-ID: <${randomUUID()}@elsewhere.example>\nSubject: Your notice`;
    const raw = deliveryStatusNotification({ notificationId, recipient: "member@example.eu", status: "5.1.1", quotedHeaders });
    const message = reportMessage(raw);
    const screened = await screenBounceReport({ recipient: verpFor(notificationId), message, local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, now: new Date(), secrets: [TEST_ENV.LINK_SECRET] });
    expect(screened).toEqual({ notificationId });
    expect(await parseBounceReport(message)).toMatchObject({ kind: "hard", status: "5.1.1" });
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it("is not parsed at all when it is dropped before its parts matter", async () => {
    const parse = vi.spyOn(PostalMime, "parse");
    const notificationId = randomUUID();
    const raw = deliveryStatusNotification({ notificationId, recipient: "member@example.eu", status: "5.1.1" });
    const screened = await screenBounceReport({ recipient: verpFor(notificationId, { secret: "another-link-secret-another-link-secret-000" }), message: reportMessage(raw), local: BOUNCE_LOCAL, domain: BOUNCE_DOMAIN, now: new Date(), secrets: [TEST_ENV.LINK_SECRET] });
    expect(screened).toEqual({ dropped: "bounce_report_dropped_bad_mac" });
    expect(parse).not.toHaveBeenCalled();
  });
});
