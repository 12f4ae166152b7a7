import "server-only";

import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

import { env } from "@/lib/env";
import { objectionFiltersToParams, searchParamsRecord, type TObjectionFilters, ZObjectionFilters } from "@/lib/objections/objection-filters";

/** The URL parameter that carries the search, sealed: an address typed into the search never appears in a URL, a history or an access log. */
export const SEALED_SEARCH_PARAM = "s";
export const CURSOR_PARAM = "after";

const sealKey = () =>
  createHash("sha256")
    .update(`objection search seal:${env().AUTH_SECRET ?? env().LINK_SECRET}`)
    .digest();

/** AES-256-GCM under a key derived from the app's secret: opaque and tamper-proof in a URL. */
export const sealSearch = (search: string) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(), iv);
  const sealed = Buffer.concat([cipher.update(search, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
};

/** The search a sealed parameter holds, or null if it was not sealed by this app. */
export const openSearch = (sealed: string) => {
  try {
    const bytes = Buffer.from(sealed, "base64url");
    if (bytes.length < 29) return null;
    const decipher = createDecipheriv("aes-256-gcm", sealKey(), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
};

type TSearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

const single = (value: string | string[] | null | undefined) => (Array.isArray(value) ? value[0] : (value ?? undefined));

export type TReadFilters =
  | { ok: true; filters: TObjectionFilters; sealedSearch?: string; cursor?: string }
  | { ok: false; filters: TObjectionFilters; message: string; sealedSearch?: undefined; cursor?: undefined };

/**
 * The queue's filters from a page's or route's URL: the plain parameters plus the sealed search.
 * Bad values give the default filters and a message to show, never an error page.
 */
export const readObjectionFilters = (searchParams: TSearchParams): TReadFilters => {
  const record = { ...searchParamsRecord(searchParams) };
  const get = (key: string) => (searchParams instanceof URLSearchParams ? searchParams.get(key) : single(searchParams[key]));
  const sealedSearch = get(SEALED_SEARCH_PARAM) || undefined;
  // The form always seals its search. A plain `q` is taken only as an external id (pseudonymous, as
  // links from elsewhere may carry it); an address in a plain `q` is not searched for, so no link
  // that carries one works.
  const plain = typeof record.q === "string" ? record.q : undefined;
  delete record.q;
  if (plain?.includes("@")) return { ok: false, filters: ZObjectionFilters.parse({}), message: "Search for an address with the form: it keeps the address out of the URL." };
  if (plain && !sealedSearch) record.q = plain;
  if (sealedSearch) {
    const search = openSearch(sealedSearch);
    if (search === null) return { ok: false, filters: ZObjectionFilters.parse({}), message: "This search link is not valid here: search again." };
    record.q = search;
  }
  const parsed = ZObjectionFilters.safeParse(record);
  if (!parsed.success) return { ok: false, filters: ZObjectionFilters.parse({}), message: parsed.error.issues[0]?.message ?? "Check the filters." };
  return { ok: true, filters: parsed.data, sealedSearch, cursor: get(CURSOR_PARAM) || undefined };
};

/** A link to `path` with these filters: the search sealed (reusing the seal the page was given), a cursor if paging. */
export const objectionFiltersHref = (path: string, filters: Partial<TObjectionFilters>, { sealedSearch, cursor }: { sealedSearch?: string; cursor?: string | null } = {}) => {
  const params = objectionFiltersToParams({ ...filters, q: undefined });
  const seal = filters.q ? (sealedSearch ?? sealSearch(filters.q)) : undefined;
  if (seal) params.set(SEALED_SEARCH_PARAM, seal);
  if (cursor) params.set(CURSOR_PARAM, cursor);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
};
