import { describe, expect, it } from "vitest";

import { ObjectionEventType, ObjectionSource } from "@/lib/generated/prisma/enums";
import { EVENT_LABELS, OBJECTED_BY, timelineEventLabel } from "@/lib/objections/admin/timeline-words";

describe("an objection's timeline in words", () => {
  it("says how the objection was made", () => {
    expect(timelineEventLabel("created", { source: "email_link" })).toBe("Objected by email link");
    expect(timelineEventLabel("created", { source: "direct" })).toBe("Objected on the form, without a link");
    for (const source of Object.values(ObjectionSource)) expect(timelineEventLabel("created", { source })).toBe(`Objected ${OBJECTED_BY[source]}`);
    // An event stored without its source still reads as a sentence.
    expect(timelineEventLabel("created", null)).toBe("Objection made");
    expect(timelineEventLabel("created", { source: "carrier_pigeon" })).toBe("Objection made");
  });

  it("names every other event in sentence case, never by its enum value", () => {
    expect(timelineEventLabel("receipt_sent", { messageId: "<x@y>", attempt: 1 })).toBe("Receipt sent");
    for (const type of Object.values(ObjectionEventType)) {
      const label = timelineEventLabel(type, {});
      expect(label).toBe(EVENT_LABELS[type]);
      expect(label).not.toContain("_");
      expect(label[0]).toBe(label[0]!.toUpperCase());
    }
  });
});
