import { BaseSequencer, type TestSpecification } from "vitest/node";

// Files that wait on worker processes and clocks by design, longest first (measured here: 72 s,
// 40 s, up to 72 s for a cron tick). Vitest orders a fresh clone's files by size, which started
// the cron test after a minute; started first, these run beside the many short files instead.
const SLOW_FILES = ["lib/exports/export-schedule.test.ts", "app/api/v1/campaigns/[id]/campaign-flow.test.ts", "app/api/v1/campaigns/domain-pacing.test.ts"];

const rank = (file: TestSpecification) => {
  const index = SLOW_FILES.findIndex((slow) => file.moduleId.endsWith(slow));
  return index === -1 ? SLOW_FILES.length : index;
};

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}
