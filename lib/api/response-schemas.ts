import { z } from "zod";

// The shapes the API answers with; the OpenAPI document is generated from these and the request schemas.

export const ZApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ index: z.number().int().optional(), field: z.string(), reason: z.string() })).optional(),
  }),
});

export const ZMemberSyncResult = z.object({ created: z.number().int(), updated: z.number().int() });

export const ZInAppNotice = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  action: z.string().meta({ description: "The label for the button or link that opens url, in the same language as title and body." }),
  locale: z.string().meta({ description: "The language of title, body and action (the member's, else English)." }),
  url: z.url(),
  createdAt: z.iso.datetime(),
  seenAt: z.iso.datetime().nullable(),
});

export const ZCampaignCreated = z.object({ id: z.uuid() });

export const ZCampaignStats = z.object({
  status: z.enum(["draft", "running", "paused", "done", "failed"]).meta({
    description: "`failed`: a send job (or the audience job) used up its retries, and sending stopped; `failureReason` says why. Resume recovers it.",
  }),
  failureReason: z.string().nullable().meta({ description: "Why a failed campaign stopped: the batch, its attempts and its last error. Null unless failed." }),
  failedAt: z.iso.datetime().nullable(),
  total: z.number().int(),
  queued: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int().meta({ description: "Emails not sent because the member objected after the launch, or their emails were stopped (a hard bounce, a complaint or \"stop these emails\"): checked as each email is sent." }),
  seen: z.number().int(),
  clicked: z.number().int(),
  objected: z.number().int(),
});

export const ZForwardedObjectionResult = z.object({
  id: z.uuid(),
  status: z.enum(["effective", "withdrawn", "rejected"]),
  source: z.string(),
  effectiveAt: z.iso.datetime(),
  created: z.boolean(),
});

export const ZMemberObjectionState = z.object({
  externalId: z.string(),
  state: z.enum(["objected", "withdrawn", "rejected", "none"]).meta({ description: "What the in-app setting shows: `objected` while an objection is effective." }),
  objection: z
    .object({
      id: z.uuid(),
      status: z.enum(["effective", "withdrawn", "rejected"]),
      source: z.string(),
      effectiveAt: z.iso.datetime(),
      withdrawnAt: z.iso.datetime().nullable(),
    })
    .nullable()
    .meta({ description: "The live objection, else the newest; null if the member never objected." }),
});

export const ZWithdrawalResult = ZMemberObjectionState.extend({
  withdrawn: z.boolean().meta({ description: "True if this call withdrew a live objection; false if none was live (a repeated call changes nothing)." }),
});
