import { z } from "zod";

import { ObjectionSource, type ObjectionStatus } from "@/lib/generated/prisma/enums";
import { isIsoCountry } from "@/lib/members/iso-countries";
import { objectionIdFromReference } from "@/lib/objections/objection-reference";
import { noControlCharacters } from "@/lib/validation/text";

export const OBJECTION_SORTS = ["effectiveAt", "country"] as const;
export type TObjectionSort = (typeof OBJECTION_SORTS)[number];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The queue's status filter: an objection's own status, or one of the two lists of work waiting
 * (`/admin/objections?status=rejection_pending`, `?status=unmatched`, which the dashboard links to).
 * Both are live objections: a rejection waiting for its second reviewer, and an objection matched
 * to no member.
 */
export const QUEUE_STATUSES = ["effective", "withdrawn", "rejected", "rejection_pending", "unmatched"] as const satisfies readonly (ObjectionStatus | "rejection_pending" | "unmatched")[];
export type TQueueStatus = (typeof QUEUE_STATUSES)[number];

// A GET form sends every field, the empty ones as "": an empty field is no filter.
const optional = <TSchema extends z.ZodType>(schema: TSchema) =>
  z.preprocess((value) => {
    const single = Array.isArray(value) ? value[0] : value;
    return typeof single === "string" && single.trim() === "" ? undefined : single;
  }, schema.optional());

const ZDay = z
  .string()
  .trim()
  .regex(ISO_DATE, { error: "Dates are written YYYY-MM-DD." })
  // Date.parse rolls 2026-02-31 over into March: a real day reads back as itself.
  .refine(
    (value) => {
      const day = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
    },
    { error: "That date does not exist." },
  );

/**
 * The queue's filters, as the URL carries them (`/admin/objections?status=effective&country=DE`).
 * Dates are whole days in UTC, both ends included. `q` is an exact email address (normalised before
 * the lookup) or an exact external id: never a prefix, so the lookup stays on an index.
 */
export const ZObjectionFilters = z
  .object({
    status: optional(z.enum(QUEUE_STATUSES, { error: "Choose a status from the list." })),
    source: optional(z.enum(ObjectionSource, { error: "Choose a source from the list." })),
    country: optional(
      z
        .string()
        .trim()
        .toUpperCase()
        .refine(isIsoCountry, { error: "A country is its two-letter ISO code, such as DE." }),
    ),
    matched: optional(z.enum(["matched", "unmatched"], { error: "Choose matched or unmatched." })),
    from: optional(ZDay),
    to: optional(ZDay),
    hasReason: optional(z.enum(["yes", "no"], { error: "Choose yes or no for the reason." })),
    q: optional(
      z
        .string()
        .trim()
        .max(320, { error: "The search is an email address, an external id or an objection's reference." })
        // Neither holds a control character, and PostgreSQL refuses NUL in the lookup.
        .check(noControlCharacters("The search cannot contain control characters.")),
    ),
    sort: optional(z.enum(OBJECTION_SORTS)).transform((value) => value ?? "effectiveAt"),
    dir: optional(z.enum(["asc", "desc"])).transform((value) => value ?? "desc"),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, { error: "The start date is after the end date.", path: ["to"] });

export type TObjectionFiltersInput = z.input<typeof ZObjectionFilters>;
export type TObjectionFilters = z.output<typeof ZObjectionFilters>;

export const OBJECTION_FILTER_KEYS = ["status", "source", "country", "matched", "from", "to", "hasReason", "q", "sort", "dir"] as const;

/** Next's `searchParams` (or a URLSearchParams) as the plain object ZObjectionFilters reads. */
export const searchParamsRecord = (searchParams: URLSearchParams | Record<string, string | string[] | undefined>) => {
  if (!(searchParams instanceof URLSearchParams)) return searchParams;
  const record: Record<string, string> = {};
  for (const key of OBJECTION_FILTER_KEYS) {
    const value = searchParams.get(key);
    if (value !== null) record[key] = value;
  }
  return record;
};

/**
 * The filters as URL parameters, leaving out what is empty or the default, so links stay short.
 * `q` may be an email address: these params are for the filter form's own GET URL (which the admin
 * typed), never for a link in an email, a log line or an audit detail.
 */
export const objectionFiltersToParams = (filters: Partial<TObjectionFilters>) => {
  const params = new URLSearchParams();
  for (const key of OBJECTION_FILTER_KEYS) {
    const value = filters[key];
    if (value === undefined || value === "") continue;
    if (key === "sort" && value === "effectiveAt") continue;
    if (key === "dir" && value === "desc") continue;
    params.set(key, String(value));
  }
  return params;
};

/** The filters that are set, without the search text: what an audit detail may record. */
export const auditableObjectionFilters = (filters: TObjectionFilters) => {
  const { q, ...rest } = filters;
  const detail: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) detail[key] = value;
  if (q) detail.search = q.includes("@") ? "email" : objectionIdFromReference(q) ? "reference" : "externalId";
  return detail;
};
