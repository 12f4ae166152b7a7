/** An export older than this is late: the nightly run plus two hours of slack. */
export const EXPORT_STALE_AFTER_MS = 26 * 60 * 60 * 1000;

export type TExportWarning = { kind: "failed"; message: string } | { kind: "stale"; message: string } | { kind: "none_yet"; message: string };

/**
 * Why the last export needs a look, or null when it is fine. `latest` is the newest run of any
 * status; `lastSucceededAt` is the cutoff of the newest successful one. A run in progress is not a
 * fault, but it does not make an old successful export fresh either.
 */
export const exportWarning = ({ latest, lastSucceededAt, now }: { latest: { status: string } | null; lastSucceededAt: Date | null; now: Date }): TExportWarning | null => {
  if (latest?.status === "failed") return { kind: "failed", message: "The last export failed. The pipeline still has the previous list." };
  if (!lastSucceededAt) return latest ? null : { kind: "none_yet", message: "No export has run yet: the pipeline has no list of objectors." };
  if (now.getTime() - lastSucceededAt.getTime() > EXPORT_STALE_AFTER_MS) {
    return { kind: "stale", message: "The newest successful export is more than 26 hours old: the nightly run did not happen." };
  }
  return null;
};
