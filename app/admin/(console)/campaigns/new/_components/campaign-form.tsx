"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";

import { audienceCountAction, audienceEstimateAction, createCampaignAction } from "@/app/admin/(console)/campaigns/actions";
import { AudienceLine, useExactCount } from "@/components/admin/campaigns/audience-line";
import { CHANNEL_LABELS } from "@/components/admin/campaigns/campaign-labels";
import { NotYetReachedChoice } from "@/components/admin/campaigns/not-yet-reached-choice";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, NativeSelect } from "@/components/ui/input";
import type { TActionResult } from "@/lib/auth/admin-action";
import { notYetReachedByDefault, offersNotYetReached, type TAudienceFigures } from "@/lib/campaigns/audience-wording";
import type { TCountryOption } from "@/lib/members/country-options";

const CHANNELS = ["email", "in_app"] as const;

/** A finished campaign a follow-up can name. */
export type TFollowUpOption = { id: string; label: string };

/**
 * Name, channels, countries and, for a follow-up, the earlier campaign; the audience estimated from
 * the counters as they change, and counted exactly when the admin asks.
 */
export const CampaignForm = ({ countryOptions, followUpOptions }: { countryOptions: TCountryOption[]; followUpOptions: TFollowUpOption[] }) => {
  const router = useRouter();
  const [countries, setCountries] = useState<string[]>([]);
  const [notReachedBy, setNotReachedBy] = useState("");
  const [estimate, setEstimate] = useState<{ scope: string; figures: TAudienceFigures } | null>(null);
  // Null follows the default: only those not yet reached whenever any of the audience was.
  const [onlyNotYetReached, setOnlyNotYetReached] = useState<boolean | null>(null);
  const [result, setResult] = useState<TActionResult<{ id: string }> | null>(null);
  const [pending, startTransition] = useTransition();
  const failed = result && !result.ok ? result : null;

  const scope = `${countries.join()}|${notReachedBy}`;
  const exactCount = useExactCount({ scope, count: () => audienceCountAction({ countries, notReachedBy: notReachedBy || undefined }) });

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void audienceEstimateAction({ countries, notReachedBy: notReachedBy || undefined }).then((answer) => {
        if (current && answer.ok && answer.data) setEstimate({ scope: `${countries.join()}|${notReachedBy}`, figures: answer.data });
      });
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [countries, notReachedBy]);

  // An estimate for other countries (or another follow-up) than those chosen now is stale: show "estimating" until the new one arrives.
  const current = exactCount.exact ?? (estimate?.scope === scope ? estimate.figures : null);
  // The last estimate's choice stays while a new one is made, so the radios do not jump.
  const figures = current ?? estimate?.figures ?? null;
  const offered = !!figures && offersNotYetReached(figures);
  const notYetReached = offered ? (onlyNotYetReached ?? notYetReachedByDefault(figures)) : false;

  const toggleCountry = (code: string, checked: boolean) => setCountries((previous) => (checked ? [...previous, code].sort() : previous.filter((country) => country !== code)));

  const submit = (form: FormData) =>
    startTransition(async () => {
      const answer = await createCampaignAction({
        name: String(form.get("name") ?? ""),
        channels: form.getAll("channels"),
        countries,
        notReachedBy: notReachedBy || undefined,
        onlyNotYetReached: notYetReached,
      });
      setResult(answer);
      if (answer.ok && answer.data) router.push(`/admin/campaigns/${answer.data.id}`);
    });

  return (
    <form action={submit} noValidate className="space-y-6">
      <div>
        <Label htmlFor="campaign-name">Name</Label>
        <Input id="campaign-name" name="name" required maxLength={200} aria-invalid={!!failed?.fieldErrors?.name} aria-describedby={failed?.fieldErrors?.name ? "campaign-name-error" : undefined} />
        <FieldError id="campaign-name-error" message={failed?.fieldErrors?.name?.[0]} />
      </div>
      <fieldset aria-describedby={failed?.fieldErrors?.channels ? "campaign-channels-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-800">Channels</legend>
        <div className="flex flex-wrap gap-4">
          {CHANNELS.map((channel) => (
            <label key={channel} className="flex min-h-10 items-center gap-2 text-sm text-slate-900">
              <input type="checkbox" name="channels" value={channel} defaultChecked className="h-5 w-5 accent-blue-700" />
              {CHANNEL_LABELS[channel]}
            </label>
          ))}
        </div>
        <FieldError id="campaign-channels-error" message={failed?.fieldErrors?.channels?.[0]} />
      </fieldset>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-800">Countries</legend>
        <p className="mb-2 text-sm text-slate-600">None ticked means every EU/EEA country.</p>
        <div className="grid grid-cols-1 gap-1 sm:grid-cols-2 lg:grid-cols-3">
          {countryOptions.map(({ code, name }) => (
            <label key={code} className="flex min-h-9 items-center gap-2 text-sm text-slate-900">
              <input type="checkbox" value={code} checked={countries.includes(code)} onChange={(event) => toggleCountry(code, event.target.checked)} className="h-5 w-5 accent-blue-700" />
              {name} ({code})
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <Label htmlFor="campaign-not-reached-by">Only members not reached by… (optional)</Label>
        <p id="campaign-not-reached-by-hint" className="mb-2 text-sm text-slate-600">
          A follow-up to a finished campaign: only its members whom no email reached (failed or bounced) and who never saw the in-app notice.
        </p>
        <NativeSelect
          id="campaign-not-reached-by"
          value={notReachedBy}
          onChange={(event) => setNotReachedBy(event.target.value)}
          className="w-full sm:w-auto"
          aria-invalid={!!failed?.fieldErrors?.notReachedBy}
          aria-describedby={failed?.fieldErrors?.notReachedBy ? "campaign-not-reached-by-hint campaign-not-reached-by-error" : "campaign-not-reached-by-hint"}
        >
          <option value="">Everyone eligible (not a follow-up)</option>
          {followUpOptions.map(({ id, label }) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </NativeSelect>
        <FieldError id="campaign-not-reached-by-error" message={failed?.fieldErrors?.notReachedBy?.[0]} />
      </div>
      <AudienceLine figures={current} followUp={!!notReachedBy} exactCount={exactCount} />
      {offered && figures ? <NotYetReachedChoice figures={figures} value={notYetReached} onChange={setOnlyNotYetReached} name="onlyNotYetReached" /> : null}
      {failed && !failed.fieldErrors ? (
        <Alert tone="danger" role="alert">
          {failed.message}
        </Alert>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create draft"}
      </Button>
    </form>
  );
};
