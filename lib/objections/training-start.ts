import { formatDay } from "@/lib/i18n/date-format";

/**
 * When AI training starts (TRAINING_STARTS_AT, an ISO date), as a page or an email names it: the
 * day in the reader's language, and whether an objection came before it. Midnight UTC starts the
 * day: one clock for everyone, as the pipeline's.
 */
export type TTrainingStart = { day: string; date: string };

/** The configured start in `locale`, or null when none is configured. */
export const trainingStartIn = ({ day, locale }: { day: string | undefined; locale: string }): TTrainingStart | null =>
  day ? { day, date: formatDay({ locale, day }) } : null;

/**
 * Whether an objection that took effect at `effectiveAt` (its stored time, not the clock now)
 * keeps the data out of the first training run ("before") or only the later ones ("after").
 */
export const trainingCase = ({ effectiveAt, day }: { effectiveAt: Date; day: string }): "before" | "after" =>
  effectiveAt.getTime() < Date.parse(`${day}T00:00:00Z`) ? "before" : "after";
