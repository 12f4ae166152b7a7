// The report's rule against singling anyone out: a count from 1 to 9 is not published, and neither
// is a median computed from 1 to 9 objections. 0 and 10 or more are.

/** The smallest count the report shows (other than 0). */
export const SMALLEST_SHOWN = 10;

/** One published figure: its value, or null with withheld true; null with withheld false means there is none (a median of no objection). */
export type TFigure = { value: number | null; withheld: boolean };

const isSmall = (count: number) => count >= 1 && count < SMALLEST_SHOWN;

/** A count as published. */
export const countFigure = (count: number): TFigure => (isSmall(count) ? { value: null, withheld: true } : { value: count, withheld: false });

/** A median as published, given how many values it was computed from. */
export const medianFigure = ({ median, from }: { median: number | null; from: number }): TFigure => {
  if (isSmall(from)) return { value: null, withheld: true };
  return { value: from === 0 ? null : median, withheld: false };
};
