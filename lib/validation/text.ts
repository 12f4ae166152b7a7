import { z } from "zod";

// Shared by every schema at the app's edges (the platform API, the forms, the console, both CSV
// imports), and by the browser's copy of the forms' schemas: no server-only imports here.
//
// PostgreSQL refuses NUL in text, so a NUL that passes validation fails the write, and the caller
// sees an outage ("retry") for what is its own mistake. Other control characters (C0, DEL, C1)
// hide text in the console and split or corrupt a row of a CSV export (CR, LF). Unpaired UTF-16
// surrogates cannot be encoded as UTF-8: the driver would store U+FFFD instead of what was sent.

/** Any control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F) or unpaired surrogate. */
const CONTROL_CHARACTER = /[\p{Cc}\p{Cs}]/u;
/** The same, less the three that free text uses for its layout: tab, line feed, carriage return. */
const FREE_TEXT_CONTROL_CHARACTER = /(?![\t\n\r])[\p{Cc}\p{Cs}]/u;

export const hasControlCharacter = (value: string) => CONTROL_CHARACTER.test(value);

export const hasFreeTextControlCharacter = (value: string) => FREE_TEXT_CONTROL_CHARACTER.test(value);

/**
 * For identifiers, codes, names and addresses (externalId, locale, a campaign's name, a search):
 * no control character at all, tab and line breaks included. Use with `.check()`.
 */
export const noControlCharacters = (error: string) => z.refine<string>((value) => !hasControlCharacter(value), { error });

/** For free text a person writes (a reason, a note): line breaks and tabs are kept, every other control character refused. */
export const freeTextCharactersOnly = (error: string) => z.refine<string>((value) => !hasFreeTextControlCharacter(value), { error });
