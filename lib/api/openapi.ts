import { z } from "zod";

import {
  ZApiError,
  ZCampaignCreated,
  ZCampaignStats,
  ZForwardedObjectionResult,
  ZInAppNotice,
  ZMemberNoticeHistory,
  ZMemberObjectionState,
  ZMemberSyncResult,
  ZWithdrawalResult,
} from "@/lib/api/response-schemas";
import { ZCreateCampaign } from "@/lib/campaigns/schema";
import { ZExportManifest } from "@/lib/exports/export-manifest";
import { ZMemberSync } from "@/lib/members/schema";
import { ZForwardedObjection } from "@/lib/objections/forwarded-objection-schema";
import { ZCreateWebhook, ZWebhookCreated, ZWebhookEndpoints, ZWebhookSecretRotated } from "@/lib/webhooks/schema";

// Generated from the zod schemas that validate requests, so the contract cannot drift from the code.
const schemas = {
  MemberSync: ZMemberSync,
  MemberSyncResult: ZMemberSyncResult,
  InAppNotice: ZInAppNotice,
  InAppNotices: z.array(ZInAppNotice),
  MemberNoticeHistory: ZMemberNoticeHistory,
  CreateCampaign: ZCreateCampaign,
  CampaignCreated: ZCampaignCreated,
  CampaignStats: ZCampaignStats.extend({ notReachedBy: z.uuid().nullable().meta({ description: "The earlier campaign this follow-up tells the missed members of; null when it is no follow-up." }) }),
  ForwardedObjection: ZForwardedObjection,
  ForwardedObjectionResult: ZForwardedObjectionResult,
  MemberObjectionState: ZMemberObjectionState,
  WithdrawalResult: ZWithdrawalResult,
  ExportManifest: ZExportManifest.extend({ acknowledgedAt: z.iso.datetime().nullable().describe("When the pipeline acknowledged the run; added by the API, not signed.") }),
  ExportPublicKey: z.object({ algorithm: z.literal("Ed25519"), keyId: z.string(), publicKeyPem: z.string() }),
  CreateWebhook: ZCreateWebhook,
  WebhookCreated: ZWebhookCreated,
  WebhookEndpoints: ZWebhookEndpoints,
  WebhookSecretRotated: ZWebhookSecretRotated,
  Error: ZApiError,
} as const;

type TSchemaName = keyof typeof schemas;

const ref = (name: TSchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: TSchemaName, description: string) => ({ description, content: { "application/json": { schema: ref(name) } } });
const error = (description: string) => json("Error", description);

const common = {
  "401": error("Missing or wrong bearer token."),
  "429": error("Past the per-token rate limit; see the Retry-After header."),
  "503": error("The service could not complete the request; retry later."),
};
const withBody = { ...common, "400": error("The body is not JSON."), "413": error("The body is larger than 5 MB (a chunked body too): answered as soon as it passes 5 MB, with Connection: close."), "422": error("The body is not valid; nothing was written.") };

// A malformed externalId in the path is the caller's to fix (422); a well-formed one no member has is a 404.
const malformedExternalId = error("The externalId is malformed (empty, over 200 characters, or holding a control character); the message says what to fix.");

const idParameter = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: { type: "string" } });

const campaignCommand = (summary: string) => ({
  post: {
    summary,
    parameters: [idParameter("id", "Campaign id")],
    responses: { "202": json("CampaignCreated", "Accepted."), "404": error("No such campaign."), "409": error("Not allowed from the campaign's status."), ...common },
  },
});

export const openApiDocument = () => ({
  openapi: "3.1.0",
  info: {
    title: "Objection platform API",
    version: "1.0.0",
    description: "Member sync, campaigns, in-app notices, forwarded objections and webhooks (`Authorization: Bearer <PLATFORM_API_TOKEN>`), and exports for the training pipeline (`Authorization: Bearer <EXPORT_API_TOKEN>`).",
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }],
  paths: {
    "/api/v1/members": {
      put: { summary: "Upsert up to 10,000 members", requestBody: { required: true, content: { "application/json": { schema: ref("MemberSync") } } }, responses: { "200": json("MemberSyncResult", "Members created and updated."), ...withBody } },
    },
    "/api/v1/members/{externalId}/notifications": {
      get: { summary: "A member's in-app notices", parameters: [idParameter("externalId", "The platform's member id")], responses: { "200": json("InAppNotices", "At most one: the member's latest in-app notice, however many campaigns told them; empty when there is none, or once the member has objected, on the account or under its address alone."), "404": error("No such member."), "422": malformedExternalId, ...common } },
    },
    "/api/v1/members/{externalId}/notices": {
      get: {
        summary: "Proof of notice: every notice the member was sent, on which channel and when, and whether it bounced, was seen or clicked",
        parameters: [idParameter("externalId", "The platform's member id")],
        responses: { "200": json("MemberNoticeHistory", "Every notice, newest first, and the member's email suppression; never an email address."), "404": error("No such member."), "422": malformedExternalId, ...common },
      },
    },
    "/api/v1/notifications/{id}/seen": {
      post: {
        summary: "Mark an in-app notice seen",
        description: "The first time counts. A clicked notice stays `clicked`; an email still queued stays queued (it is still sent).",
        parameters: [idParameter("id", "Notification id")],
        responses: { "204": { description: "Recorded." }, "404": error("No such notification."), ...common },
      },
    },
    "/api/v1/objections": {
      post: {
        summary: "Record an objection made in the platform's own app",
        requestBody: { required: true, content: { "application/json": { schema: ref("ForwardedObjection") } } },
        responses: { "201": json("ForwardedObjectionResult", "Recorded."), "200": json("ForwardedObjectionResult", "Already recorded: the stored objection."), "404": error("No such member."), ...withBody },
      },
    },
    "/api/v1/objections/{externalId}/withdraw": {
      post: {
        summary: "Withdraw the member's objection (the in-app setting switched back); the member gets a confirmation email, and may object again",
        parameters: [idParameter("externalId", "The platform's member id")],
        responses: { "200": json("WithdrawalResult", "The member's objection state after the call."), "404": error("No such member."), "422": malformedExternalId, ...common },
      },
    },
    "/api/v1/members/{externalId}/objection": {
      get: {
        summary: "A member's objection state, for the in-app setting",
        parameters: [idParameter("externalId", "The platform's member id")],
        responses: { "200": json("MemberObjectionState", "The state and the objection behind it."), "404": error("No such member."), "422": malformedExternalId, ...common },
      },
    },
    "/api/v1/campaigns": {
      post: { summary: "Create a campaign (draft)", requestBody: { required: true, content: { "application/json": { schema: ref("CreateCampaign") } } }, responses: { "201": json("CampaignCreated", "Created."), ...withBody, "422": error("The body is not valid, or notReachedBy names no campaign or one not done yet; nothing was written.") } },
    },
    "/api/v1/campaigns/{id}": {
      get: { summary: "A campaign's status and counts", parameters: [idParameter("id", "Campaign id")], responses: { "200": json("CampaignStats", "Counts."), "404": error("No such campaign."), ...common } },
    },
    "/api/v1/campaigns/{id}/launch": campaignCommand("Launch a draft campaign"),
    "/api/v1/campaigns/{id}/pause": campaignCommand("Pause a running campaign"),
    "/api/v1/campaigns/{id}/resume": campaignCommand("Resume a paused or failed campaign: its queued emails are sent again (a failure's reason is cleared)"),
    "/api/v1/exports/latest": {
      get: {
        summary: "The signed manifest of the newest successful export (pipeline token); see docs/export-format.md",
        security: [{ pipeline: [] }],
        responses: { "200": json("ExportManifest", "The manifest, as manifest.json holds it, plus acknowledgedAt."), "404": error("No export yet."), ...common },
      },
    },
    "/api/v1/exports/{id}/files/{name}": {
      get: {
        summary: "A file of an export run; ETag is its sha256 (pipeline token)",
        security: [{ pipeline: [] }],
        parameters: [idParameter("id", "Export run id"), idParameter("name", "File name from the manifest")],
        responses: {
          "200": { description: "The file, streamed from the export storage." },
          "304": { description: "Not modified (If-None-Match)." },
          "404": error("No such run or file."),
          "410": error("Retention deleted this run's files; apply the latest snapshot."),
          ...common,
        },
      },
    },
    "/api/v1/exports/{id}/ack": {
      post: { summary: "Record that the pipeline applied a run (pipeline token)", security: [{ pipeline: [] }], parameters: [idParameter("id", "Export run id")], responses: { "200": { description: "Recorded." }, "404": error("No such run."), ...common } },
    },
    "/api/v1/exports/public-key": {
      get: { summary: "The Ed25519 public key that verifies manifests (pipeline token)", security: [{ pipeline: [] }], responses: { "200": json("ExportPublicKey", "The key and its id."), "404": error("This deployment signs no exports."), ...common } },
    },
    "/api/v1/webhooks": {
      post: {
        summary: "Register a webhook endpoint: signed deliveries of every objection and withdrawal (docs/webhooks.md)",
        requestBody: { required: true, content: { "application/json": { schema: ref("CreateWebhook") } } },
        responses: {
          "201": json("WebhookCreated", "Registered; the secret is shown this once."),
          ...withBody,
          "409": error("The deployment has the most endpoints it may have: delete one first."),
          "422": error("The body is not valid, or the URL is refused (not https://, or a private, loopback or link-local address); nothing was written."),
          "503": error("Webhooks are off (EXPORT_HASH_KEY is not set), or the service could not complete the request."),
        },
      },
      get: { summary: "The webhook endpoints, without their secrets", responses: { "200": json("WebhookEndpoints", "Every endpoint, oldest first."), ...common } },
    },
    "/api/v1/webhooks/{id}": {
      delete: { summary: "Remove a webhook endpoint and its pending deliveries", parameters: [idParameter("id", "Webhook endpoint id")], responses: { "204": { description: "Removed." }, "404": error("No such endpoint."), ...common } },
    },
    "/api/v1/webhooks/{id}/rotate-secret": {
      post: {
        summary: "Give a webhook endpoint a new secret; during the grace period (WEBHOOK_SECRET_GRACE_HOURS) deliveries carry both signatures",
        parameters: [idParameter("id", "Webhook endpoint id")],
        responses: { "200": json("WebhookSecretRotated", "The new secret, shown this once."), "404": error("No such endpoint."), ...common },
      },
    },
    "/api/v1/openapi.json": { get: { summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1 document." } } } },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "PLATFORM_API_TOKEN" },
      pipeline: { type: "http", scheme: "bearer", description: "EXPORT_API_TOKEN" },
    },
    schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" })])),
  },
});
