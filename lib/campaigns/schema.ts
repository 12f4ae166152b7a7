import { z } from "zod";

import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { noControlCharacters } from "@/lib/validation/text";

export const ZCampaignChannel = z.enum(["email", "in_app"]);

export const ZCreateCampaign = z.object({
  name: z
    .string({ error: "name is required" })
    .trim()
    .min(1, { error: "name must not be empty" })
    .max(200, { error: "name must be at most 200 characters" })
    .check(noControlCharacters("name must not contain control characters (line breaks, tabs, NUL)")),
  channels: z
    .array(ZCampaignChannel, { error: 'channels must be a list of "email" and/or "in_app"' })
    .min(1, { error: "channels must name at least one channel" })
    .refine((channels) => new Set(channels).size === channels.length, { error: "channels must not repeat a channel" }),
  countries: z
    .array(z.enum(EEA_COUNTRIES, { error: "each country must be an EU/EEA ISO 3166-1 alpha-2 code, e.g. DE" }))
    .max(EEA_COUNTRIES.length)
    .optional(),
  // A follow-up: only the members that earlier campaign did not reach (it must be done, so its reach is known).
  notReachedBy: z
    .uuid({ error: "notReachedBy must be the id (a UUID) of an earlier campaign that has finished" })
    .optional()
    .meta({
      description:
        "Makes this a follow-up: only the members that earlier campaign did not reach (no accepted, unbounced email and no seen in-app notice), objectors left out and stopped emails not sent. That campaign must be `done`, or the request is refused with 422.",
    }),
  // Not telling again whom an earlier campaign already told: optional, so the interface stays as it was.
  onlyNotYetReached: z
    .boolean({ error: "onlyNotYetReached must be true or false" })
    .optional()
    .meta({
      description:
        "Leaves out every member whom any earlier campaign already reached (an accepted, unbounced email or a seen in-app notice), or has an email to still queued. Default false: everyone eligible is told.",
    }),
});

export type TCreateCampaign = z.infer<typeof ZCreateCampaign>;

export const ZCampaignId = z.uuid({ error: "the campaign id must be a UUID" });
