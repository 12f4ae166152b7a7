import { z } from "zod";

import { EXTERNAL_ID_MAX_LENGTH, externalIdSchema } from "@/lib/members/external-id-schema";
import { ISO_COUNTRIES } from "@/lib/members/iso-countries";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { emailAddress } from "@/lib/validation/email";

export const MAX_MEMBERS_PER_SYNC = 10_000;

export const ZMemberInput = z.object({
  externalId: externalIdSchema({
    required: "externalId is required",
    empty: "externalId must not be empty",
    tooLong: `externalId must be at most ${EXTERNAL_ID_MAX_LENGTH} characters`,
    controlCharacters: "externalId must not contain control characters (line breaks, tabs, NUL)",
  }),
  email: z
    .string({ error: "email is required" })
    .trim()
    .pipe(emailAddress({ error: "email must be an email address" }).max(254, { error: "email must be at most 254 characters" }))
    .transform(normaliseEmail),
  country: z.enum(ISO_COUNTRIES, { error: "country must be an assigned ISO 3166-1 alpha-2 code in capitals, e.g. DE (GR for Greece, GB for the United Kingdom)" }),
  birthDate: z.iso
    .date({ error: "birthDate must be a date as YYYY-MM-DD" })
    .refine((value) => new Date(`${value}T00:00:00Z`) <= new Date(), { error: "birthDate must not be in the future" }),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, { error: "locale must be a language tag such as de or fr-BE" })
    .optional(),
});

export type TMemberInput = z.output<typeof ZMemberInput>;

export const ZMemberSync = z.object({
  members: z
    .array(ZMemberInput, { error: "members must be a list" })
    .min(1, { error: "members must hold at least one member" })
    .max(MAX_MEMBERS_PER_SYNC, { error: `members must hold at most ${MAX_MEMBERS_PER_SYNC} members per call` })
    .superRefine((members, context) => {
      const seen = new Map<string, number>();
      members.forEach((member, index) => {
        const first = seen.get(member.externalId);
        if (first === undefined) seen.set(member.externalId, index);
        else context.addIssue({ code: "custom", path: [index, "externalId"], message: `externalId repeats the member at index ${first}` });
      });
    }),
});

export const ZExternalId = ZMemberInput.shape.externalId;
