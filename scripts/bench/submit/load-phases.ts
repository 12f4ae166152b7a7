import { formSubmission, parseForms, pickForm } from "../lib/html-form";
import { describeLoad, load, memberRequest, outcomes, statsOf, type TLinkMember, type TSubmission } from "../lib/load";
import { fmt } from "../lib/report";
import { CONNECTIONS, figure, FIXED_RATE, runs, SECONDS, summary, TARGETS, WARMUP_SECONDS } from "./config";

// The phases under load: the personal link page, then the form posted as a browser without
// JavaScript posts it, at full speed and at a fixed rate. Each member is used by one phase only.

type TPools = { sample: TLinkMember[]; pagePool: TLinkMember[]; submitPool: TLinkMember[]; fixedPool: TLinkMember[]; warmPool: TLinkMember[] };
type TRatio = (rate: number) => number;

export const pagePhase = async ({ appUrl, pagePool, ratio }: { appUrl: string; pagePool: TLinkMember[]; ratio: TRatio }) => {
  console.log(`GET /o/<token>: ${SECONDS} s at ${CONNECTIONS} connections, a different member each request…`);
  const outcome = outcomes({ isSuccess: (status) => status === 200 });
  const build = (token: string): TSubmission => ({ method: "GET", path: `/o/${token}`, headers: { accept: "text/html,application/xhtml+xml", "accept-language": "en" }, body: "" });
  await load({ url: appUrl, seconds: WARMUP_SECONDS, connections: CONNECTIONS, request: memberRequest({ pool: pagePool, cycle: true, build, outcome: outcomes({ isSuccess: () => true }) }).request });
  const result = await load({ url: appUrl, seconds: SECONDS, connections: CONNECTIONS, request: memberRequest({ pool: pagePool, cycle: true, build, outcome }).request });
  const page = statsOf(result, outcome.ok());
  figure("GET /o/<token>", `${describeLoad(page)}, ratio ${ratio(page.rate).toFixed(2)}`);
  outcome.report("GET /o/<token>");
  summary.row({ figure: "GET /o/<token>", target: `≥ ${TARGETS.pageRatio.toFixed(2)}×`, measured: `${describeLoad(page)} (${ratio(page.rate).toFixed(2)}×)`, pass: ratio(page.rate) >= TARGETS.pageRatio && outcome.failed() === 0 });
  if (outcome.failed() > 0) summary.row({ figure: "GET /o/<token> failures", target: "0", measured: fmt(outcome.failed()), pass: false });
};

/** Reads the form once from a member's page, checks one submission, then runs the submit and fixed-rate phases; adds each member that got a success to `successes`. */
export const formPhases = async ({ appUrl, pools, successes, ratio }: { appUrl: string; pools: TPools; successes: Set<string>; ratio: TRatio }) => {
  const { sample, submitPool, fixedPool, warmPool } = pools;
  // Read the form as a browser without JavaScript does, once, from a member's page.
  const [formMember, smokeMember] = sample as [TLinkMember, TLinkMember];
  const pageUrl = new URL(`/o/${formMember.token}`, appUrl);
  const response = await fetch(pageUrl, { headers: { accept: "text/html", "accept-language": "en" }, redirect: "manual" });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET ${pageUrl.pathname} answered ${response.status}: ${html.slice(0, 300)}`);
  const cookie = response.headers.getSetCookie().map((header) => header.split(";")[0]).join("; ");
  const form = pickForm(parseForms(html), formMember.token);
  const submission = formSubmission({ form, pageUrl, sampleToken: formMember.token, cookie });
  figure("form", `${form.method.toUpperCase()} ${submission.target} (${submission.multipart ? "multipart/form-data" : "urlencoded"})`);
  figure("form fields", form.fields.map(([name]) => name).join(", "));

  // One submission first, so a form that cannot work is reported plainly, not as 50 s of failures.
  const smoke = submission.build(smokeMember.token);
  const smokeResponse = await fetch(new URL(smoke.path, appUrl), { method: smoke.method, headers: smoke.headers, body: smoke.body, redirect: "manual" });
  const smokeBody = await smokeResponse.text();
  const smokeOk = smokeResponse.status >= 300 && smokeResponse.status < 400;
  figure("one submission", `${smokeResponse.status} ${smokeResponse.headers.get("location")?.replace(smokeMember.token, "<token>") ?? ""}`);
  if (!smokeOk) {
    console.log(`  body: ${smokeBody.replace(/\s+/g, " ").slice(0, 500)}`);
    summary.row({ figure: "form submission", target: "3xx", measured: `${smokeResponse.status}: the form does not submit`, pass: false });
    return;
  }
  successes.add(smokeMember.memberId);

  const isSuccess = (status: number) => status >= 300 && status < 400;
  const warm = outcomes({ isSuccess });
  await load({ url: appUrl, seconds: WARMUP_SECONDS, connections: CONNECTIONS, amount: warmPool.length, request: memberRequest({ pool: warmPool, cycle: false, build: submission.build, outcome: warm }).request });
  for (const memberId of warm.successes) successes.add(memberId);

  if (runs("submit")) {
    console.log(`Form submissions: ${SECONDS} s at ${CONNECTIONS} connections, a new member each…`);
    const outcome = outcomes({ isSuccess });
    const requests = memberRequest({ pool: submitPool, cycle: false, build: submission.build, outcome });
    const result = await load({ url: appUrl, seconds: SECONDS, connections: CONNECTIONS, amount: submitPool.length, request: requests.request });
    const submit = statsOf(result, outcome.ok());
    for (const memberId of outcome.successes) successes.add(memberId);
    figure("form submissions", `${describeLoad(submit, "submissions/s")}, ratio ${ratio(submit.rate).toFixed(2)}`);
    outcome.report("form submissions");
    if (requests.used() >= submitPool.length) console.log(`  the ${fmt(submitPool.length)} members for this phase ran out after ${submit.seconds} s: raise BENCH_MEMBERS`);
    summary.row({ figure: `form POST, ${CONNECTIONS} connections`, target: `≥ ${TARGETS.submitRatio.toFixed(2)}×`, measured: `${describeLoad(submit, "subm/s")} (${ratio(submit.rate).toFixed(2)}×)`, pass: ratio(submit.rate) >= TARGETS.submitRatio });
    summary.row({ figure: `form POST failures (${CONNECTIONS} conn.)`, target: "0", measured: `${fmt(outcome.failed())} of ${fmt(result.requests.total)}`, pass: outcome.failed() === 0 });
  }

  if (runs("fixed")) {
    console.log(`Form submissions at a fixed ${FIXED_RATE}/s for ${SECONDS} s, a new member each…`);
    const outcome = outcomes({ isSuccess });
    const requests = memberRequest({ pool: fixedPool, cycle: false, build: submission.build, outcome });
    // autocannon spreads the rate over the connections, each sending its share at the start of
    // every second: a burst each second, which a p99 sees.
    const result = await load({ url: appUrl, seconds: SECONDS, connections: CONNECTIONS, overallRate: FIXED_RATE, amount: fixedPool.length, request: requests.request });
    const fixed = statsOf(result, outcome.ok());
    for (const memberId of outcome.successes) successes.add(memberId);
    figure(`form submissions at ${FIXED_RATE}/s`, describeLoad(fixed, "submissions/s"));
    outcome.report(`form submissions at ${FIXED_RATE}/s`);
    summary.row({ figure: `form POST at ${FIXED_RATE}/s: rate`, target: `${FIXED_RATE}/s`, measured: `${fmt(fixed.rate)} subm/s`, pass: fixed.rate >= FIXED_RATE * 0.95 });
    summary.row({ figure: `form POST at ${FIXED_RATE}/s: p99`, target: `≤ ${TARGETS.fixedP99Ms} ms`, measured: `p50 ${fmt(fixed.p50)} ms, p99 ${fmt(fixed.p99)} ms, ${fmt(outcome.failed())} failed`, pass: fixed.p99 <= TARGETS.fixedP99Ms && outcome.failed() === 0 });
  }
};
