// The words the console uses around a campaign's audience before launch, in one place: the new
// campaign's form, the draft's page and its launch dialog say the same thing the same way.

/** What the console knows of an audience before launch (lib/campaigns/audience-preview.ts). */
export type TAudienceFigures = { count: number | null; alreadyReached: number | null; anyEarlierReach: boolean };

const members = (count: number) => `${count.toLocaleString("en")} member${count === 1 ? "" : "s"}`;

/** "Only those not yet reached" is the default when any of the audience was reached or, uncounted, when any earlier campaign reached anyone. */
export const notYetReachedByDefault = ({ alreadyReached, anyEarlierReach }: TAudienceFigures) => (alreadyReached === null ? anyEarlierReach : alreadyReached > 0);

/** Whether to offer the choice at all: only when someone may be told twice. */
export const offersNotYetReached = (figures: TAudienceFigures) => notYetReachedByDefault(figures);

/** How many a launch would notify with the choice made; null when uncounted. */
export const audienceToNotify = ({ count, alreadyReached }: TAudienceFigures, onlyNotYetReached: boolean) =>
  count === null ? null : onlyNotYetReached ? count - (alreadyReached ?? 0) : count;

/** One sentence for the count: "Audience if launched now: 7 members; 7 of them were already reached by an earlier campaign." */
export const audienceSentence = ({ count, alreadyReached }: TAudienceFigures, { followUp = false }: { followUp?: boolean } = {}) => {
  if (count === null) return "Too many members to count quickly: the launch computes the audience.";
  const base = `Audience if launched now: ${members(count)}${followUp ? " that campaign did not reach" : ""}`;
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
        : `Everyone eligible, again if an earlier campaign reached them: ${members(figures.count)}`,
  };
};

/** The launch dialog's sentence: how many will be told, and whether any of them again. */
export const launchSentence = (figures: TAudienceFigures, onlyNotYetReached: boolean) => {
  const notify = audienceToNotify(figures, onlyNotYetReached);
  const reached = figures.alreadyReached ?? 0;
  const who =
    notify === null ? `Every eligible member${onlyNotYetReached ? " not yet reached by an earlier campaign" : ""}` : notify === 0 ? "No member" : `About ${members(notify)}`;
  const again =
    reached === 0
      ? ""
      : onlyNotYetReached
        ? `; the ${members(reached)} an earlier campaign already reached ${reached === 1 ? "is" : "are"} left out`
        : `, ${reached === notify ? (reached === 1 ? "again" : "all of them again") : `${reached.toLocaleString("en")} of them again`}: an earlier campaign already reached ${reached === 1 ? "this member" : "them"}`;
  return `${who} will be notified${again}. A launch cannot be undone; you can pause it.`;
};
