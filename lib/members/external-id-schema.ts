import { z } from "zod";

import { noControlCharacters } from "@/lib/validation/text";

export const EXTERNAL_ID_MAX_LENGTH = 200;

type TExternalIdMessages = { required: string; empty: string; tooLong: string; controlCharacters: string };

/**
 * The one rule for a member's external id, worded for whoever meets it: the platform's developers
 * (member sync, API paths) or an admin (the console's lookup). PostgreSQL refuses NUL, and a line
 * break would split the member's row in a CSV export. No server-only imports: forms use it too.
 */
export const externalIdSchema = ({ required, empty, tooLong, controlCharacters }: TExternalIdMessages) =>
  z
    .string({ error: required })
    .trim()
    .min(1, { error: empty })
    .max(EXTERNAL_ID_MAX_LENGTH, { error: tooLong })
    .check(noControlCharacters(controlCharacters));
