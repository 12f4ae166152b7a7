import { maskEmail } from "@/lib/members/mask-email";

/**
 * What the console shows of a person, one rule for every page (the queue, the member page, the
 * objection page, the match dialog and the CSV download). docs/console.md, "What is masked where",
 * says the same in prose.
 *
 * - `masked`: shown masked to every role (`j•••@example.eu`).
 * - `withheld`: only whether there is one, until a reviewer reveals it.
 * - `plain`: shown as stored.
 *
 * The external id is the platform's pseudonym for an account, not contact data: it is how a reviewer
 * finds and matches a member, so every page shows it. The address and the person's own reason are
 * what identify or quote them: those open only through an audited act (a reveal on the objection
 * page, or a CSV with addresses and a typed reason), each by a reviewer or an admin.
 */
export const CONSOLE_MASKING = {
  email: "masked",
  reason: "withheld",
  externalId: "plain",
  country: "plain",
  language: "plain",
} as const satisfies Record<string, "masked" | "withheld" | "plain">;

/** The one way the console writes a person's address outside a reveal. */
export const consoleEmail = (email: string) => maskEmail(email);

/** The sentence each page puts under its person data, so the pages cannot disagree. */
export const MASKING_NOTE =
  "Addresses are masked and reasons hidden everywhere in the console; a reviewer reveals them on an objection, and each reveal is audited. External ids are shown as they are.";

/** Where the full addresses are: what the CSV dialog and the objection page's reveal say. */
export const ADDRESSES_NOTE = "Full addresses leave the console only through a reveal or a CSV with addresses; both need a reviewer, and both are audited.";
