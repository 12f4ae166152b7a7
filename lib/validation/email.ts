import { z } from "zod";

// zod's own email pattern, with letters and digits of every script where it allows only ASCII
// ones: `a@müller.de`, `jürgen@müller.de`, `用户@例子.广告`. zod's z.regexes.unicodeEmail takes
// those too, but also `a@b`, `a@b..de` and NUL (anything but white space, `@` and `"`), which
// would be stored and bounce. The domain is kept as written (Unicode or punycode, never converted):
// docs/export-format.md hashes the address as stored. No control character can match.
const LETTER_OR_DIGIT = String.raw`\p{L}\p{N}`;
const WORD = String.raw`${LETTER_OR_DIGIT}\p{M}`;
const LOCAL_PART = String.raw`(?:[${WORD}_'+\-]+\.)*[${WORD}_'+\-]*[${WORD}_+\-]`;
const DOMAIN_LABEL = String.raw`[${LETTER_OR_DIGIT}][${WORD}\-]*`;
// A top-level domain: letters (`.de`, `.рф`, `.广告`) or its punycode form (`.xn--p1ai`).
const TOP_LEVEL_DOMAIN = String.raw`(?:[\p{L}\p{M}]{2,}|[Xx][Nn]--[A-Za-z0-9\-]+)`;

export const EMAIL_ADDRESS = new RegExp(`^${LOCAL_PART}@(?:${DOMAIN_LABEL}\\.)+${TOP_LEVEL_DOMAIN}$`, "u");

/** z.email() that also takes internationalised addresses; store what it passes through normaliseEmail. */
export const emailAddress = (params: { error: string }) => z.email({ ...params, pattern: EMAIL_ADDRESS });
