// The words the console uses around a campaign's audience before launch, in one place: the new
// campaign's form, the draft's page and its launch dialog say the same thing the same way. The
// console is English only.

import type { TActor } from "@/lib/auth/actor";

/**
 * What the console knows of an audience before launch: an estimate from the counters
 * (lib/campaigns/audience-estimate.ts, `estimated`, how many were already reached unknown) or the
 * exact count on demand (lib/campaigns/audience-preview.ts; count null when it took too long).
 */
export type TAudienceFigures = { count: number | null; alreadyReached: number | null; anyEarlierReach: boolean; estimated?: boolean };

/** Which audience to estimate or count: these countries (none: every EEA country), launched `at`; `campaignId` is the draft itself, `notReachedBy` a follow-up's earlier campaign. */
export type TAudienceQuestion = { actor: TActor; countries: readonly string[]; notReachedBy?: string | null; campaignId?: string | null; at?: Date };

/** An estimate shows no more than four significant digits: its error is larger than the rest. */
const rounded = (count: number, estimated: boolean) => (estimated && count >= 10_000 ? Number(count.toPrecision(4)) : count);

const members = (count: number, estimated = false) => {
  const shown = rounded(count, estimated);
  return `${shown.toLocaleString("en")} member${shown === 1 ? "" : "s"}`;
};

const about = (count: number, estimated = false) => `${estimated ? "about " : ""}${members(count, estimated)}`;

/** What the console says when the exact count gave up after 10 s: the estimate stays on screen. */
export const TOO_LARGE_TO_COUNT = "Too many members to count exactly within 10 seconds: the estimate stands, and the launch computes the audience.";

/** "Only those not yet reached" is the default when any of the audience was reached or, unknown (an estimate, or too many to count), when any earlier campaign reached anyone. */
export const notYetReachedByDefault = ({ alreadyReached, anyEarlierReach }: TAudienceFigures) => (alreadyReached === null ? anyEarlierReach : alreadyReached > 0);

/** Whether to offer the choice at all: only when someone may be told twice. */
export const offersNotYetReached = (figures: TAudienceFigures) => notYetReachedByDefault(figures);

/** How many a launch would notify with the choice made; null when uncounted, or unknown (an estimate leaving out those already reached). */
export const audienceToNotify = ({ count, alreadyReached }: TAudienceFigures, onlyNotYetReached: boolean) => {
  if (count === null) return null;
  if (!onlyNotYetReached) return count;
  return alreadyReached === null ? null : count - alreadyReached;
};

/**
 * One sentence for the figures: "Audience if launched now: 7 members; 7 of them were already reached
 * by an earlier campaign.", or for an estimate "Estimated audience if launched now: about 1,235,000 members."
 */
export const audienceSentence = ({ count, alreadyReached, estimated = false }: TAudienceFigures, { followUp = false }: { followUp?: boolean } = {}) => {
  if (count === null) return "Too many members to count quickly: the launch computes the audience.";
  const base = `${estimated ? "Estimated audience" : "Audience"} if launched now: ${about(count, estimated)}${followUp ? " that campaign did not reach" : ""}`;
  if (!alreadyReached) return `${base}.`;
  const all = alreadyReached === count;
  return `${base}; ${all ? (count === 1 ? "it was" : "all of them were") : `${alreadyReached.toLocaleString("en")} of them ${alreadyReached === 1 ? "was" : "were"}`} already reached by an earlier campaign.`;
};

/** The two choices' labels, each with its count. */
export const notYetReachedChoices = (figures: TAudienceFigures) => {
  const notYet = audienceToNotify(figures, true);
  return {
    only: notYet === null ? "Only those not yet reached by an earlier campaign" : `Only those not yet reached by an earlier campaign: ${members(notYet)}`,
    everyone:
      figures.count === null
        ? "Everyone eligible, again if an earlier campaign reached them"
        : `Everyone eligible, again if an earlier campaign reached them: ${about(figures.count, figures.estimated)}`,
  };
};

/** The launch dialog's sentence: how many will be told, and whether any of them again. */
export const launchSentence = (figures: TAudienceFigures, onlyNotYetReached: boolean) => {
  const notify = audienceToNotify(figures, onlyNotYetReached);
  const reached = figures.alreadyReached ?? 0;
  const who =
    notify === null ? `Every eligible member${onlyNotYetReached ? " not yet reached by an earlier campaign" : ""}` : notify === 0 ? "No member" : `About ${members(notify, figures.estimated)}`;
  const again =
    reached === 0
      ? ""
      : onlyNotYetReached
        ? `; the ${members(reached)} an earlier campaign already reached ${reached === 1 ? "is" : "are"} left out`
        : `, ${reached === notify ? (reached === 1 ? "again" : "all of them again") : `${reached.toLocaleString("en")} of them again`}: an earlier campaign already reached ${reached === 1 ? "this member" : "them"}`;
  return `${who} will be notified${again}. A launch cannot be undone; you can pause it.`;
};
