import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";

import { ZChangeAdminRole, ZInviteAdmin, ZRemoveAdminAccess } from "@/lib/admins/schema";
import { ZAuditFilters } from "@/lib/audit/schema";
import { ZAudienceEstimate, ZCampaignCommand, ZCampaignTestEmail } from "@/lib/campaigns/admin-schema";
import { ZAdminSignIn } from "@/lib/auth/schema";
import { ZCreateCampaign } from "@/lib/campaigns/schema";
import { ZSetLocaleInput } from "@/lib/i18n/set-locale-schema";
import { ZLinkToken } from "@/lib/links/token";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { ISO_COUNTRIES } from "@/lib/members/iso-countries";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { ZMemberInput } from "@/lib/members/schema";
import { ZBulkObjectionAction } from "@/lib/objections/admin/bulk-objection-schema";
import { ZObjectionMatch, ZObjectionNote, ZObjectionTarget, ZObjectionUnmatch, ZRejectionRequest } from "@/lib/objections/admin/schema";
import { ZCsvWithAddresses } from "@/lib/objections/download-schema";
import { ZObjectionFilters } from "@/lib/objections/objection-filters";
import { ZForwardedObjection } from "@/lib/objections/forwarded-objection-schema";
import { ZObjectionInput, ZRequestLinkInput } from "@/lib/objections/schema";
import { hasControlCharacter, hasFreeTextControlCharacter } from "@/lib/validation/text";

// Properties of every schema at the app's edges, over generated input: a schema never throws, and
// what it accepts can be stored and exported as it is (no NUL or other control character, no
// unpaired surrogate; line breaks only in free text), with codes from their lists and addresses
// normalised. Each schema is tried with a valid value in which one field is replaced by hostile text.

const hostile = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  fc.constantFrom("\u0000", "a\u0000", "line\nbreak", "tab\there", "\r\n", "\u0085", "\u009f", "\u007f", "\uD800", "x\uDC00y", "\u202E", " ", "", "%00", "DE", "XX", "gr", "ＤＥ"),
  fc.emailAddress(),
  fc.constantFrom("a@müller.de", "Zoë@Example.EU", " Jane@EXAMPLE.eu ", "a\u0000@example.eu", "a@b", "a@exa\nmple.eu"),
);

type TBoundary = { name: string; schema: z.ZodType; valid: Record<string, unknown>; freeText?: string[] };

const OBJECTION_ID = "0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c10";
const BOUNDARIES: TBoundary[] = [
  { name: "member sync (one member)", schema: ZMemberInput, valid: { externalId: "u-1", email: "jane@example.eu", country: "DE", birthDate: "1990-01-01", locale: "de" } },
  { name: "forwarded objection", schema: ZForwardedObjection, valid: { externalId: "u-1", source: "gpc" } },
  { name: "new campaign", schema: ZCreateCampaign, valid: { name: "Autumn notice", channels: ["email"], countries: ["DE"] } },
  { name: "objection form", schema: ZObjectionInput, valid: { token: "t", country: "DE", reason: "Mine." }, freeText: ["reason"] },
  { name: "/object request", schema: ZRequestLinkInput, valid: { email: "jane@example.eu" } },
  { name: "language switch", schema: ZSetLocaleInput, valid: { locale: "de", returnTo: "/object" } },
  { name: "admin invitation", schema: ZInviteAdmin, valid: { email: "ops@example.eu", role: "viewer" } },
  { name: "admin sign-in", schema: ZAdminSignIn, valid: { email: "ops@example.eu" } },
  { name: "objection note", schema: ZObjectionNote, valid: { objectionId: OBJECTION_ID, note: "Checked." }, freeText: ["note"] },
  { name: "objection match", schema: ZObjectionMatch, valid: { objectionId: OBJECTION_ID, memberExternalId: "u-1", reason: "Same person: confirmed by support." }, freeText: ["reason"] },
  { name: "objection unmatch", schema: ZObjectionUnmatch, valid: { objectionId: OBJECTION_ID, reason: "Wrong member." }, freeText: ["reason"] },
  { name: "CSV with addresses", schema: ZCsvWithAddresses, valid: { reason: "Legal asked for the list." }, freeText: ["reason"] },
  { name: "rejection request", schema: ZRejectionRequest, valid: { objectionId: OBJECTION_ID, reason: "Duplicate." }, freeText: ["reason"] },
  { name: "bulk note", schema: ZBulkObjectionAction, valid: { action: "note", objectionIds: [OBJECTION_ID], note: "Batch." }, freeText: ["note"] },
  { name: "objection action (spam, reveal, approve, cancel)", schema: ZObjectionTarget, valid: { objectionId: OBJECTION_ID } },
  { name: "objection queue filters", schema: ZObjectionFilters, valid: { status: "rejection_pending", source: "direct", country: "de", matched: "unmatched", from: "2026-11-01", to: "2026-11-30", hasReason: "yes", q: "jane@example.eu", sort: "country", dir: "asc" } },
  { name: "audit log filters", schema: ZAuditFilters, valid: { admin: OBJECTION_ID, action: "sign_in", from: "2026-11-01", to: "2026-11-30", after: "cursor", dir: "asc" } },
  { name: "campaign command", schema: ZCampaignCommand, valid: { campaignId: OBJECTION_ID } },
  { name: "audience estimate", schema: ZAudienceEstimate, valid: { countries: ["DE", "AT"] } },
  { name: "campaign test email", schema: ZCampaignTestEmail, valid: { campaignId: OBJECTION_ID, locale: "de" } },
  { name: "admin role change", schema: ZChangeAdminRole, valid: { adminId: OBJECTION_ID, role: "reviewer" } },
  { name: "admin removal", schema: ZRemoveAdminAccess, valid: { adminId: OBJECTION_ID } },
];

/** Every string in an accepted value, with the key it sits under. */
const stringsOf = (value: unknown, key = ""): { key: string; text: string }[] => {
  if (typeof value === "string") return [{ key, text: value }];
  if (Array.isArray(value)) return value.flatMap((item) => stringsOf(item, key));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([field, item]) => stringsOf(item, field));
  return [];
};

const storable = ({ output, freeText = [] }: { output: unknown; freeText?: string[] }) =>
  stringsOf(output).every(({ key, text }) => (freeText.includes(key) ? !hasFreeTextControlCharacter(text) : !hasControlCharacter(text)));

const codesAndAddressesHold = (output: unknown) =>
  stringsOf(output).every(({ key, text }) => {
    if (key === "country") return (ISO_COUNTRIES as readonly string[]).includes(text);
    if (key === "countries") return (EEA_COUNTRIES as readonly string[]).includes(text);
    if (key === "email") return text === text.trim() && !/\s/.test(text);
    return true;
  });

describe("every zod boundary, over generated input", () => {
  for (const { name, schema, valid, freeText } of BOUNDARIES) {
    it(`${name}: accepts its valid example`, () => {
      expect(schema.safeParse(valid).success).toBe(true);
    });

    it(`${name}: with any field replaced by hostile text, never throws and accepts only what can be stored`, () => {
      const fields = Object.keys(valid);
      fc.assert(
        fc.property(fc.constantFrom(...fields), fc.oneof(hostile, fc.array(hostile, { maxLength: 3 }), fc.anything()), (field, replacement) => {
          const result = schema.safeParse({ ...valid, [field]: replacement });
          if (!result.success) return true;
          return storable({ output: result.data, freeText }) && codesAndAddressesHold(result.data);
        }),
        { numRuns: 400, seed: 20261130 },
      );
    });

    it(`${name}: any value at all is refused or accepted, never thrown`, () => {
      fc.assert(fc.property(fc.anything(), (input) => typeof schema.safeParse(input).success === "boolean"), { numRuns: 200, seed: 20261130 });
    });
  }

  it("an accepted address is stored normalised: the same for every way of writing it", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom("", " ", "\t"), fc.boolean(), (email, padding, upper) => {
        const written = `${padding}${upper ? email.toUpperCase() : email}${padding}`;
        const member = ZMemberInput.safeParse({ externalId: "u-1", email: written, country: "DE", birthDate: "1990-01-01" });
        return !member.success || member.data.email === normaliseEmail(email);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it("a link token is 72 base64url characters, nothing else", () => {
    fc.assert(fc.property(hostile, (text) => !ZLinkToken.safeParse(text).success || /^[A-Za-z0-9_-]{72}$/.test(text)), { numRuns: 500, seed: 20261130 });
  });
});
