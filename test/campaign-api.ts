import { randomUUID } from "node:crypto";

import { expect } from "vitest";

import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { POST as launchRoute } from "@/app/api/v1/campaigns/[id]/launch/route";
import { deliveriesByRecipient, recipientOf, waitUntil } from "@/test/campaign-fixtures";
import { setupCampaignTestContext } from "@/test/campaign-test-context";
import type { TSmtpSink } from "@/test/smtp-sink";
import { TEST_ENV } from "@/test/test-env";

type TCampaignRoute = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

/** Calls a campaign route handler of the platform API as the platform does: a JSON POST with its bearer token (null: none). */
export const callCampaignRoute = async (handler: TCampaignRoute, { id = "", body, token = TEST_ENV.PLATFORM_API_TOKEN }: { id?: string; body?: unknown; token?: string | null } = {}) => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new Request("http://localhost/api/v1/campaigns", { method: "POST", headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  const response = await handler(request, { params: Promise.resolve({ id }) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

/**
 * A campaign test file's steps through the platform API: create and launch, read the stats, wait
 * for a status; and which of the sink's messages went to whom. `sink` is read at each call (a
 * campaign test context sets it in beforeAll).
 */
export const campaignApiSteps = (context: { readonly sink: TSmtpSink }) => {
  const createAndLaunch = async (countries: string[]) => {
    const created = await callCampaignRoute(createRoute, { body: { name: `test ${randomUUID()}`, channels: ["email"], countries } });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    expect((await callCampaignRoute(launchRoute, { id })).status).toBe(202);
    return id;
  };

  const stats = async (id: string) =>
    (await callCampaignRoute(statsRoute, { id })).json as { status: string; total: number; queued: number; sent: number; failed: number; clicked: number; objected: number };

  const waitForStatus = (id: string, status: string, timeoutMs = 60_000) =>
    waitUntil({ check: async () => (await stats(id)).status === status, timeoutMs, what: `campaign ${id} to be ${status}` });

  /** Messages the sink received for these addresses. */
  const deliveriesTo = (emails: string[]) => {
    const wanted = new Set(emails);
    return deliveriesByRecipient(context.sink.messages.filter((message) => wanted.has(recipientOf(message))));
  };

  return { createAndLaunch, stats, waitForStatus, deliveriesTo };
};

/** Emails per batch in the campaign API test files. */
export const API_TEST_BATCH_SIZE = 100;

/**
 * A campaign test file driven through the platform API: its own database, SMTP sink and workers
 * (setupCampaignTestContext), batches of API_TEST_BATCH_SIZE, send jobs that expire after 4 s.
 */
export const setupCampaignApiTest = (databaseName: string) => {
  const testContext = setupCampaignTestContext({
    databaseName,
    env: { CAMPAIGN_BATCH_SIZE: String(API_TEST_BATCH_SIZE), CAMPAIGN_BATCH_EXPIRE_SECONDS: "4", JOBS_MAINTENANCE_SECONDS: "1" },
  });
  return { testContext, ...campaignApiSteps(testContext) };
};
