import type { AuditTarget } from "@/lib/generated/prisma/enums";
import { objectionReference } from "@/lib/objections/objection-reference";

/*
 * The audit log in words people use: what an event is about and its details, never a raw uuid.
 * Pure, so the audit table (a client component) and a test share it.
 */

export type TAuditTargetWords = { label: string; href: string | null };

type TAuditTargetInput = { type: AuditTarget | null; id: string | null; name: string | null; exists: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What an event is about, and where to read more: an objection by its reference, a member by
 * external id, a campaign by name, an admin by address, an export run or a webhook endpoint only when it exists
 * (an export started from the console names its job, which has no page).
 */
export const auditTargetWords = ({ type, id, name, exists }: TAuditTargetInput): TAuditTargetWords | null => {
  if (!type || !id) return null;
  switch (type) {
    case "objection":
      return { label: `Objection ${objectionReference(id)}`, href: `/admin/objections/${id}` };
    case "member":
      return { label: name ? `Member ${name}` : "A member no longer on file", href: name ? `/admin/members/${id}` : null };
    case "campaign":
      return { label: name ? `Campaign “${name}”` : "A campaign no longer on file", href: `/admin/campaigns/${id}` };
    case "admin":
      return { label: name ?? "An admin", href: null };
    case "webhook":
      return { label: "Webhook endpoint", href: exists ? `/admin/webhooks/${id}` : null };
    case "export":
      return exists ? { label: "Export run", href: `/admin/exports/${id}` } : { label: "An export, queued", href: null };
    default:
      return null;
  }
};

const CAMEL = /([a-z])([A-Z])/g;

/** "matchedByEmail" reads as "matched by email". */
const keyWords = (key: string) => key.replace(CAMEL, "$1 $2").toLowerCase();

const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && UUID.test(item));

// A nested object (the filters of a download or a search) reads as key=value pairs, not "[object Object]".
const valueWords = (value: unknown): string => {
  if (Array.isArray(value)) return value.join(", ") || "all";
  if (value && typeof value === "object") return Object.entries(value).map(([key, item]) => `${keyWords(key)}=${String(item)}`).join(", ");
  return String(value);
};

/**
 * An event's details as "key: value" pairs: ids are left out (the target already links to what
 * matters), a list of ids becomes its count.
 */
export const auditDetailWords = (detail: unknown) => {
  if (!detail || typeof detail !== "object" || Array.isArray(detail)) return "";
  return Object.entries(detail)
    .flatMap(([key, value]) => {
      if (typeof value === "string" && UUID.test(value)) return [];
      if (isIdList(value)) return [`${keyWords(key)}: ${value.length}`];
      return [`${keyWords(key)}: ${valueWords(value)}`];
    })
    .join("; ");
};
