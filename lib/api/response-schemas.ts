import { z } from "zod";

import { ObjectionStatus } from "@/lib/generated/prisma/enums";

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
  reached: z.number().int().meta({
    description: "Members reached by at least one channel: an email the relay accepted that neither bounced nor drew a complaint, or an in-app notice the member saw. Each member counts once.",
  }),
  pacing: z
    .object({
      domains: z
        .array(z.object({ domain: z.string(), ratePerSecond: z.number().int().nullable().meta({ description: "The domain's rate in MAIL_DOMAIN_RATES (emails a second across all workers), as the worker that held its emails back has it set; null if none was recorded." }) }))
        .meta({ description: "Every domain some worker held emails back for in the last 10 seconds." }),
      at: z.iso.datetime().meta({ description: "When a worker last held emails back for these domains." }),
    })
    .nullable()
    .meta({
      description:
        "Emails that wait for their domain's rate (MAIL_DOMAIN_RATES): they stay queued and are sent as the rate allows, never skipped. Null unless the campaign is running and a worker held emails back in the last 10 seconds.",
    }),
});

const ZIsoOrNull = z.iso.datetime().nullable();

export const ZMemberNoticeHistory = z.object({
  externalId: z.string(),
  suppression: z
    .object({ reason: z.enum(["hard_bounce", "complaint", "unsubscribe"]), at: z.iso.datetime() })
    .nullable()
    .meta({
      description:
        "The suppression in force: why this member gets no more email notices (a hard bounce of their current address, a complaint, or \"stop these emails\", which is not an objection); null if emails go out. A hard bounce is lifted when the member's address changes, and an admin can lift any suppression.",
    }),
  notices: z
    .array(
      z.object({
        id: z.uuid(),
        channel: z.enum(["email", "in_app"]),
        campaign: z.object({ id: z.uuid(), name: z.string() }).meta({ description: "The campaign that sent the notice: every notice has one." }),
        noticeVersion: z.string().nullable().meta({ description: "A hash of the rendered notice and its language: which text the member was sent." }),
        locale: z.string().nullable().meta({ description: "The language the notice was sent in." }),
        createdAt: z.iso.datetime(),
        sentAt: ZIsoOrNull,
        relayReply: z.string().nullable().meta({ description: "What the mail relay answered when it took the email (its queue id), addresses removed." }),
        status: z.enum(["queued", "sent", "failed", "seen", "clicked", "skipped"]),
        bounce: z
          .object({ kind: z.enum(["hard", "rejected", "complaint"]), status: z.string().nullable().meta({ description: "The DSN status code (5.1.1) or the complaint's feedback type." }), at: ZIsoOrNull })
          .nullable()
          .meta({
            description:
              "What came back for this email; null if nothing did. `hard`: the address is wrong (5.1.x, 5.2.1), and it gets no more notices; `rejected`: a policy or sending-side refusal (5.7.x and the like), which never stops emails; `complaint`: the person reported it.",
          }),
        delay: z
          .object({ status: z.string(), at: z.iso.datetime() })
          .nullable()
          .meta({ description: "The last \"still trying\" warning a relay sent back (Action: delayed); it is not a bounce and never counts." }),
        seenAt: ZIsoOrNull,
        clickedAt: ZIsoOrNull,
      }),
    )
    .meta({ description: "Every notice, newest first, including those sent before an objection: this is the record of who was told." }),
});

export const ZForwardedObjectionResult = z.object({
  id: z.uuid(),
  status: z.enum(ObjectionStatus),
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
      status: z.enum(ObjectionStatus),
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
