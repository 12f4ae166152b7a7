import { afterAll, describe, expect, it } from "vitest";

import { DELETE as deleteRoute } from "@/app/api/v1/webhooks/[id]/route";
import { POST as rotateRoute } from "@/app/api/v1/webhooks/[id]/rotate-secret/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/webhooks/route";
import { openApiDocument } from "@/lib/api/openapi";
import { db } from "@/lib/db";
import { closePgPool } from "@/lib/pg";
import { TEST_ENV } from "@/test/test-env";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

type THandler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

const call = async (handler: THandler, { id = "", body, token = TEST_ENV.PLATFORM_API_TOKEN }: { id?: string; body?: unknown; token?: string } = {}) => {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const response = await handler(new Request("http://localhost/api/v1/webhooks", { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) }), { params: Promise.resolve({ id }) });
  return { status: response.status, json: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>) };
};

const events = ["objection.effective", "objection.withdrawn"];
// A public address literal: no resolver involved, and nothing connects to it here.
const publicUrl = "https://93.184.216.34/hooks";

describe("the webhooks API", () => {
  it("registers an endpoint with a whsec_ secret shown once, lists it without secrets, rotates and deletes it", async () => {
    const created = await call(createRoute, { body: { url: publicUrl, events } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), url: publicUrl, events, secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) });
    const id = String(created.json!.id);

    const listed = await call(listRoute);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({ webhooks: [{ id, url: publicUrl, events, createdAt: expect.any(String), disabledAt: null, failingSince: null }] });
    expect(JSON.stringify(listed.json)).not.toContain("whsec_");

    const rotated = await call(rotateRoute, { id });
    expect(rotated.status).toBe(200);
    expect(rotated.json).toEqual({ id, secret: expect.stringMatching(/^whsec_/), previousSecretValidUntil: expect.any(String) });
    expect(rotated.json!.secret).not.toBe(created.json!.secret);
    expect(await db().webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secret: true, previousSecret: true } })).toEqual({ secret: rotated.json!.secret, previousSecret: created.json!.secret });

    expect((await call(deleteRoute, { id })).status).toBe(204);
    expect((await call(deleteRoute, { id })).status).toBe(404);
    expect((await call(rotateRoute, { id: "not-a-uuid" })).status).toBe(404);
    expect((await call(listRoute)).json).toEqual({ webhooks: [] });
    const audited = await db().auditEvent.findMany({ where: { targetType: "webhook", targetId: id }, select: { actorType: true, action: true }, orderBy: { id: "asc" } });
    expect(audited).toEqual(["webhook_create", "webhook_rotate_secret", "webhook_delete"].map((action) => ({ actorType: "platform", action })));
  });

  it("refuses a body it cannot use with 422 and a message that says what to fix", async () => {
    const noEvents = await call(createRoute, { body: { url: publicUrl, events: [] } });
    expect(noEvents.status).toBe(422);
    expect(JSON.stringify(noEvents.json)).toContain("events must name at least one event");
    expect((await call(createRoute, { body: { url: publicUrl, events: ["objection.created"] } })).status).toBe(422);
    const http = await call(createRoute, { body: { url: "http://93.184.216.34/hooks", events } });
    expect(http).toMatchObject({ status: 422, json: { error: { message: "url must start with https://." } } });
    // A host name that resolves to loopback, through the system's resolver: refused without WEBHOOK_ALLOW_PRIVATE.
    const loopback = await call(createRoute, { body: { url: "https://localhost/hooks", events } });
    expect(loopback.status).toBe(422);
    expect(JSON.stringify(loopback.json)).toMatch(/loopback address/);
    const metadata = await call(createRoute, { body: { url: "https://169.254.169.254/latest", events } });
    expect(metadata.status).toBe(422);
    expect(JSON.stringify(metadata.json)).toMatch(/link-local/);
    expect(await db().webhookEndpoint.count()).toBe(0);
  });

  it("answers 401 without the platform token", async () => {
    expect((await call(listRoute, { token: "wrong" })).status).toBe(401);
  });

  it("is in the OpenAPI document", () => {
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths["/api/v1/webhooks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(paths["/api/v1/webhooks/{id}"] ?? {})).toEqual(["delete"]);
    expect(Object.keys(paths["/api/v1/webhooks/{id}/rotate-secret"] ?? {})).toEqual(["post"]);
  });
});
