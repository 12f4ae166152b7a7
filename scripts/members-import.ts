// `npm run members:import -- FILE.csv`: imports members from a CSV file with the header row
// externalId,email,country,birthDate[,locale]. Bad rows are skipped and listed on stderr by line.
// Exit code: 0 when the import ran (even with bad rows), 1 when it failed, 2 for a wrong argument.
import { statSync } from "node:fs";

import { MultiBar, Presets } from "cli-progress";
import { z } from "zod";

import { assertEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors/app-error";
import { importMembersCsv, type TBadRow, type TImportProgress } from "@/lib/members/import-members-csv";
import { closePgPool, pgPool } from "@/lib/pg";

const USAGE = "Usage: npm run members:import -- FILE.csv";
const SHOWN_BAD_ROWS = 100;
// Without a terminal (CI, a log file) a redrawn bar is noise: a plain line now and then instead.
const PLAIN_PROGRESS_EVERY_MS = 5_000;

const ZArgs = z
  .array(z.string())
  .length(1, { error: USAGE })
  .transform(([file]) => file ?? "")
  .superRefine((file, context) => {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats) context.addIssue({ code: "custom", message: `File not found: ${file}. ${USAGE}` });
    else if (!stats.isFile()) context.addIssue({ code: "custom", message: `Not a file: ${file}. ${USAGE}` });
  });

const count = (value: number) => Math.round(value).toLocaleString("en");

const describeError = (error: unknown): string => {
  // A refused connection to a host with several addresses (localhost) is an AggregateError without a message.
  if (error instanceof AggregateError && error.errors.length) return describeError(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
};

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

type TProgressDisplay = {
  update: (progress: TImportProgress) => void;
  log: (line: string) => void;
  /** `rowsRead` when the import finished: the bar then shows 100 % and the final count. */
  stop: (done?: { rowsRead: number }) => void;
};

/** A bar on a terminal, else a line every few seconds; both on stderr, so stdout keeps only the summary. */
const createProgress = (): TProgressDisplay => {
  const started = Date.now();
  const rate = (rows: number) => rows / Math.max((Date.now() - started) / 1000, 0.001);

  if (process.stderr.isTTY) {
    const bars = new MultiBar(
      // 24 characters of bar keep the whole line within an 80-column terminal.
      { format: "{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}", barsize: 24, hideCursor: true, etaBuffer: 25, stream: process.stderr },
      Presets.shades_classic,
    );
    let bar: ReturnType<MultiBar["create"]> | undefined;
    return {
      update: ({ bytesRead, totalBytes, rows }: TImportProgress) => {
        bar ??= bars.create(totalBytes, 0, { rows: "0", rate: "0" });
        bar.update(bytesRead, { rows: count(rows), rate: count(rate(rows)) });
      },
      // Printed above the bar, which would otherwise overwrite it.
      log: (line: string) => bars.log(`${line}\n`),
      stop: (done) => {
        if (bar && done) bar.update(bar.getTotal(), { rows: count(done.rowsRead), rate: count(rate(done.rowsRead)) });
        bars.stop();
      },
    };
  }

  let lastPrinted = started;
  return {
    update: ({ bytesRead, totalBytes, rows }: TImportProgress) => {
      if (Date.now() - lastPrinted < PLAIN_PROGRESS_EVERY_MS) return;
      lastPrinted = Date.now();
      const share = totalBytes ? bytesRead / totalBytes : 1;
      const secondsLeft = share > 0 ? ((Date.now() - started) / 1000) * ((1 - share) / share) : 0;
      console.error(`members:import: ${Math.floor(share * 100)}% of the file, ${count(rows)} rows, ${count(rate(rows))} rows/s, about ${count(secondsLeft)} s left`);
    },
    log: (line: string) => console.error(line),
    stop: () => undefined,
  };
};

const main = async () => {
  const args = ZArgs.safeParse(process.argv.slice(2));
  if (!args.success) {
    console.error(args.error.issues[0]?.message ?? USAGE);
    process.exitCode = 2;
    return;
  }
  assertEnv();
  // An idle connection that breaks (database restart) fails the next query, which is reported below;
  // without a listener the pool's own error event would end the process with a stack trace.
  pgPool().on("error", () => undefined);

  const progress = createProgress();
  let badRows = 0;
  const onBadRow = ({ line, field, reason }: TBadRow) => {
    badRows++;
    if (badRows <= SHOWN_BAD_ROWS) progress.log(`line ${line}: ${field}: ${reason}`);
  };
  try {
    const result = await importMembersCsv({ file: args.data, onProgress: progress.update, onBadRow });
    progress.stop({ rowsRead: result.rows + result.skipped });
    if (result.skipped > SHOWN_BAD_ROWS) console.error(`(${result.skipped - SHOWN_BAD_ROWS} more bad rows not shown)`);
    console.log(`Imported ${result.rows} rows (${result.created} created, ${result.updated} updated); skipped ${result.skipped} bad rows.`);
  } catch (error) {
    progress.stop();
    // A bad file stops before any write; anything else may strike after some batches are in.
    const kept = isAppError(error, "invalid_file") ? "" : " Batches written before the failure are kept; running the import again is safe.";
    console.error(`members:import failed: ${sentence(describeError(error))}${kept}`);
    process.exitCode = 1;
  } finally {
    await closePgPool();
  }
};

main().catch((error: unknown) => {
  console.error(`members:import failed: ${describeError(error)}`);
  process.exit(1);
});
