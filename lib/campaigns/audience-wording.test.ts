import { describe, expect, it } from "vitest";

import { audienceSentence, audienceToNotify, launchSentence, notYetReachedByDefault, notYetReachedChoices } from "@/lib/campaigns/audience-wording";

const allReached = { count: 7, alreadyReached: 7, anyEarlierReach: true };
const someReached = { count: 7, alreadyReached: 2, anyEarlierReach: true };
const noneReached = { count: 7, alreadyReached: 0, anyEarlierReach: true };
const uncounted = { count: null, alreadyReached: null, anyEarlierReach: true };
const estimate = { count: 1_234_567, alreadyReached: null, anyEarlierReach: true, estimated: true };

describe("the words around a campaign's audience before launch", () => {
  it("says how many of the audience an earlier campaign already reached", () => {
    expect(audienceSentence(allReached)).toBe("Audience if launched now: 7 members; all of them were already reached by an earlier campaign.");
    expect(audienceSentence(someReached)).toBe("Audience if launched now: 7 members; 2 of them were already reached by an earlier campaign.");
    expect(audienceSentence({ count: 1, alreadyReached: 1, anyEarlierReach: true })).toBe("Audience if launched now: 1 member; it was already reached by an earlier campaign.");
    expect(audienceSentence(noneReached)).toBe("Audience if launched now: 7 members.");
    expect(audienceSentence(noneReached, { followUp: true })).toBe("Audience if launched now: 7 members that campaign did not reach.");
    expect(audienceSentence(uncounted)).toBe("Too many members to count quickly: the launch computes the audience.");
  });

  it("makes 'only those not yet reached' the default when any were, or when uncounted and any campaign reached anyone", () => {
    expect(notYetReachedByDefault(allReached)).toBe(true);
    expect(notYetReachedByDefault(someReached)).toBe(true);
    expect(notYetReachedByDefault(noneReached)).toBe(false);
    expect(notYetReachedByDefault(uncounted)).toBe(true);
    expect(notYetReachedByDefault({ ...uncounted, anyEarlierReach: false })).toBe(false);
    expect(notYetReachedByDefault(estimate)).toBe(true);
    expect(notYetReachedByDefault({ ...estimate, anyEarlierReach: false })).toBe(false);
  });

  it("words an estimate as one: 'about', four significant digits from 10,000, and no count of those not yet reached", () => {
    expect(audienceSentence(estimate)).toBe("Estimated audience if launched now: about 1,235,000 members.");
    expect(audienceSentence({ ...estimate, count: 9_876 })).toBe("Estimated audience if launched now: about 9,876 members.");
    expect(audienceSentence({ ...estimate, count: 2 }, { followUp: true })).toBe("Estimated audience if launched now: about 2 members that campaign did not reach.");
    expect(audienceSentence({ ...estimate, count: 1 })).toBe("Estimated audience if launched now: about 1 member.");
    expect(audienceToNotify(estimate, true)).toBeNull();
    expect(audienceToNotify(estimate, false)).toBe(1_234_567);
    expect(notYetReachedChoices(estimate)).toEqual({
      only: "Only those not yet reached by an earlier campaign",
      everyone: "Everyone eligible, again if an earlier campaign reached them: about 1,235,000 members",
    });
    expect(launchSentence(estimate, true)).toBe("Every eligible member not yet reached by an earlier campaign will be notified. A launch cannot be undone; you can pause it.");
    expect(launchSentence(estimate, false)).toBe("About 1,235,000 members will be notified. A launch cannot be undone; you can pause it.");
  });

  it("offers both choices with their counts", () => {
    expect(notYetReachedChoices(someReached)).toEqual({
      only: "Only those not yet reached by an earlier campaign: 5 members",
      everyone: "Everyone eligible, again if an earlier campaign reached them: 7 members",
    });
    expect(audienceToNotify(someReached, true)).toBe(5);
    expect(audienceToNotify(someReached, false)).toBe(7);
    expect(audienceToNotify(uncounted, true)).toBeNull();
  });

  it("says in the launch dialog who will be notified, and whether any of them again", () => {
    expect(launchSentence(allReached, false)).toBe("About 7 members will be notified, all of them again: an earlier campaign already reached them. A launch cannot be undone; you can pause it.");
    expect(launchSentence(allReached, true)).toBe("No member will be notified; the 7 members an earlier campaign already reached are left out. A launch cannot be undone; you can pause it.");
    expect(launchSentence(someReached, false)).toBe("About 7 members will be notified, 2 of them again: an earlier campaign already reached them. A launch cannot be undone; you can pause it.");
    expect(launchSentence(someReached, true)).toBe("About 5 members will be notified; the 2 members an earlier campaign already reached are left out. A launch cannot be undone; you can pause it.");
    expect(launchSentence(noneReached, false)).toBe("About 7 members will be notified. A launch cannot be undone; you can pause it.");
    expect(launchSentence(uncounted, true)).toBe("Every eligible member not yet reached by an earlier campaign will be notified. A launch cannot be undone; you can pause it.");
  });
});
