import { describe, expect, it } from "vitest";

import { countFigure, medianFigure } from "@/lib/transparency/withhold";

describe("withholding", () => {
  it("withholds every count from 1 to 9 and shows 0 and 10 or more", () => {
    expect(countFigure(0)).toEqual({ value: 0, withheld: false });
    for (let count = 1; count <= 9; count++) expect(countFigure(count)).toEqual({ value: null, withheld: true });
    expect(countFigure(10)).toEqual({ value: 10, withheld: false });
    expect(countFigure(123_456)).toEqual({ value: 123_456, withheld: false });
  });

  it("withholds a median of 1 to 9 objections, gives none for 0, and shows one of 10 or more", () => {
    expect(medianFigure({ median: 12, from: 9 })).toEqual({ value: null, withheld: true });
    expect(medianFigure({ median: 12, from: 1 })).toEqual({ value: null, withheld: true });
    expect(medianFigure({ median: null, from: 0 })).toEqual({ value: null, withheld: false });
    expect(medianFigure({ median: 12.5, from: 10 })).toEqual({ value: 12.5, withheld: false });
  });
});
