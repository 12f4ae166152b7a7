import "server-only";

import { type CsvError, type Info } from "csv-parse";
import { parse } from "csv-parse/sync";
import { z } from "zod";

import { AppError } from "@/lib/errors/app-error";
import { isIsoCountry } from "@/lib/members/iso-countries";
import { normaliseEmail } from "@/lib/members/normalise-email";
import type { TPriorImportLine } from "@/lib/objections/import-prior-objections-types";
import { CSV_ROW_OPTIONS, unknownColumnPositions } from "@/lib/validation/csv-row-options";
import { emailAddress } from "@/lib/validation/email";
import { hasControlCharacter, hasFreeTextControlCharacter } from "@/lib/validation/text";

const REASON_MAX_LENGTH = 2000;

const COLUMNS = ["external_id", "email", "objected_at", "country", "reason"] as const;
type TColumn = (typeof COLUMNS)[number];

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO date (midnight UTC) or datetime (UTC unless it names its offset), or undefined. */
const parseObjectedAt = (value: string) => {
  const text = ISO_DAY.test(value) ? `${value}T00:00:00Z` : ISO_DATETIME.test(value) ? (/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`) : undefined;
  if (!text) return undefined;
  const at = new Date(text);
  // Date rolls 2025-02-30 over into March: a real day reads back as itself.
  if (Number.isNaN(at.getTime()) || (ISO_DAY.test(value) && !at.toISOString().startsWith(value))) return undefined;
  return at;
};

const ZPriorRow = (now: Date) =>
  z
    .object({
      external_id: z.string().max(200, { error: "external_id is at most 200 characters" }).optional(),
      email: emailAddress({ error: "email is not an email address" }).max(254, { error: "email is at most 254 characters" }).transform(normaliseEmail).optional(),
      objected_at: z
        .string({ error: "objected_at is required" })
        .transform((value, context) => {
          const at = parseObjectedAt(value);
          if (!at) context.addIssue({ code: "custom", message: "objected_at must be an ISO date (2025-03-14) or datetime (2025-03-14T09:30:00Z)" });
          else if (at > now) context.addIssue({ code: "custom", message: "objected_at is in the future" });
          return at ?? now;
        }),
      country: z
        .string()
        .toUpperCase()
        .refine(isIsoCountry, { error: "country must be an assigned ISO 3166-1 alpha-2 code, such as DE" })
        .optional(),
      reason: z.string().max(REASON_MAX_LENGTH, { error: `reason is at most ${REASON_MAX_LENGTH} characters` }).optional(),
    })
    .refine((row) => row.external_id || row.email, { error: "the row needs an external_id or an email", path: ["external_id"] });

export type TPriorRow = z.output<ReturnType<typeof ZPriorRow>>;

/** A valid row of the file, with its line number (the header is line 1). */
export type TValidPriorRow = { line: number; row: TPriorRow };

const readHeader = (header: string[]) => {
  const names = header.map((name) => name.trim().toLowerCase());
  const unknown = unknownColumnPositions(names, COLUMNS);
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const problems = [
    !names.includes("objected_at") ? "lacks objected_at" : "",
    !names.includes("external_id") && !names.includes("email") ? "needs external_id or email (or both)" : "",
    unknown.length ? `has unknown columns at positions ${unknown.join(", ")}` : "",
    repeated.length ? `repeats ${[...new Set(repeated)].join(", ")}` : "",
  ].filter(Boolean);
  if (problems.length) {
    throw new AppError("invalid", { message: `The header row (line 1) ${problems.join("; ")}. The columns are external_id and/or email, objected_at, and optionally country and reason.` });
  }
  return names;
};

/** A CSV has no null: an empty cell is a missing value. */
const presentCells = (record: Record<string, string | undefined>) => {
  const present: Partial<Record<TColumn, string>> = {};
  for (const key of COLUMNS) if (record[key]) present[key] = record[key];
  return present;
};

/**
 * Reads the uploaded file's rows and validates each on its own. Rows that are not valid CSV, or
 * not valid objections, are reported in `lines`; the file as a whole failing (its header, not CSV
 * at all, no rows) throws an `invalid` AppError.
 */
export const readPriorObjectionRows = ({ bytes, now }: { bytes: Buffer; now: Date }) => {
  const lines: TPriorImportLine[] = [];
  let records: { record: Record<string, string>; info: Info }[];
  try {
    records = parse(bytes, {
      ...CSV_ROW_OPTIONS,
      columns: readHeader,
      on_skip: (error: CsvError | undefined) => {
        lines.push({ line: Number(error?.lines ?? 0), outcome: "error", message: "the row is not valid CSV (check its quotes and its number of values)" });
        return undefined;
      },
    }) as { record: Record<string, string>; info: Info }[];
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid", { message: "The file is not CSV this import can read: it needs a header row (external_id, email, objected_at, country, reason) and comma-separated rows." });
  }
  if (records.length === 0 && lines.length === 0) throw new AppError("invalid", { message: "The file has a header but no rows." });

  const schema = ZPriorRow(now);
  const valid: TValidPriorRow[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    // PostgreSQL refuses NUL, and a line break in an identifier or an address splits an exported row:
    // the row is reported, the rest of the file goes on. A reason keeps its line breaks and tabs.
    const controlled = COLUMNS.find((column) => record[column] && (column === "reason" ? hasFreeTextControlCharacter : hasControlCharacter)(record[column]));
    if (controlled) {
      const examples = controlled === "reason" ? "such as NUL or an escape character" : "such as NUL, a tab or a line break";
      lines.push({ line, outcome: "error", message: `${controlled} contains a control character (${examples})` });
      continue;
    }
    const parsed = schema.safeParse(presentCells(record));
    if (!parsed.success) lines.push({ line, outcome: "error", message: parsed.error.issues[0]?.message ?? "the row is not valid" });
    else valid.push({ line, row: parsed.data });
  }
  return { lines, valid };
};
