// The job worker: `npm run worker`. Run as many as you like, on any machines: pg-boss hands
// each job to one of them (SKIP LOCKED), and failed jobs come back with backoff.
import { assertEnv } from "@/lib/env";
import { jobs, QUEUES, stopJobs } from "@/lib/jobs";
import { closeMailTransport } from "@/lib/mail";
import { sendPersonalLink } from "@/lib/members/send-personal-link";
import { sendObjectionReceipt } from "@/lib/objections/send-objection-receipt";

type TReceiptJob = { objectionId: string };
type TPersonalLinkJob = { memberId: string };

const main = async () => {
  assertEnv();
  const boss = await jobs({ worker: true });
  const pollingIntervalSeconds = 1;

  await boss.work<TReceiptJob>(QUEUES.objectionReceipt.name, { pollingIntervalSeconds, includeMetadata: true }, async ([job]) => {
    if (job) await sendObjectionReceipt({ objectionId: job.data.objectionId, attempt: job.retryCount + 1 });
  });
  await boss.work<TPersonalLinkJob>(QUEUES.personalLinkEmail.name, { pollingIntervalSeconds }, async ([job]) => {
    if (job) await sendPersonalLink({ memberId: job.data.memberId });
  });
  console.log(`[worker] ready: ${Object.values(QUEUES).map((queue) => queue.name).join(", ")}`);

  const shutdown = async (signal: string) => {
    console.log(`[worker] ${signal}: finishing jobs in flight`);
    await stopJobs();
    closeMailTransport();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
};

main().catch((error: unknown) => {
  console.error(`[worker] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
