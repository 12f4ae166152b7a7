import { z } from "zod";

/**
 * The keyset of the console's newest-first lists: `<ISO time>_<id>`. Times are stored to the
 * millisecond (timestamptz(3)), so the ISO text round-trips exactly. Whatever arrives in a URL is
 * checked in full (a real time, a real id), so a hand-edited cursor falls back to the first page
 * instead of reaching PostgreSQL as an error.
 */
export const encodeTimeIdCursor = ({ at, id }: { at: Date; id: string }) => `${at.toISOString()}_${id}`;

const ID_SCHEMAS = {
  uuid: z.uuid(),
  // A bigserial id: at most 2^63 - 1.
  bigint: z.string().regex(/^\d{1,19}$/).refine((value) => BigInt(value) <= 9_223_372_036_854_775_807n),
} as const;

export const decodeTimeIdCursor = (cursor: string | undefined, { id: idKind }: { id: keyof typeof ID_SCHEMAS }) => {
  const match = cursor ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_(.+)$/.exec(cursor) : null;
  if (!match) return null;
  const at = new Date(match[1]!);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== match[1]) return null;
  const id = ID_SCHEMAS[idKind].safeParse(match[2]);
  return id.success ? { at, id: id.data } : null;
};
