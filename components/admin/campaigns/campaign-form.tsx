"use client";

import { Users } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";

import { audienceEstimateAction, createCampaignAction } from "@/app/admin/(console)/campaigns/actions";
import { CHANNEL_LABELS } from "@/components/admin/campaigns/campaign-labels";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import type { TActionResult } from "@/lib/auth/admin-action";
import type { TCountryOption } from "@/lib/members/country-options";

const CHANNELS = ["email", "in_app"] as const;

/** Name, channels and countries, with the audience counted as the countries change. */
export const CampaignForm = ({ countryOptions }: { countryOptions: TCountryOption[] }) => {
  const router = useRouter();
  const [countries, setCountries] = useState<string[]>([]);
  const [estimate, setEstimate] = useState<{ countries: string; count: number | null } | null>(null);
  const [result, setResult] = useState<TActionResult<{ id: string }> | null>(null);
  const [pending, startTransition] = useTransition();
  const failed = result && !result.ok ? result : null;

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void audienceEstimateAction({ countries }).then((answer) => {
        if (current && answer.ok && answer.data) setEstimate({ countries: countries.join(), count: answer.data.count });
      });
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [countries]);

  // A count for other countries than those ticked now is stale: show "counting" until the new one arrives.
  const current = estimate?.countries === countries.join() ? estimate : null;

  const toggleCountry = (code: string, checked: boolean) => setCountries((previous) => (checked ? [...previous, code].sort() : previous.filter((country) => country !== code)));

  const submit = (form: FormData) =>
    startTransition(async () => {
      const answer = await createCampaignAction({ name: String(form.get("name") ?? ""), channels: form.getAll("channels"), countries });
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
      <p className="flex items-center gap-2 text-sm text-slate-800" aria-live="polite">
        <Users className="h-4 w-4" aria-hidden />
        {!current
          ? "Counting the audience…"
          : current.count === null
            ? "Too many members to count quickly: the launch computes the audience."
            : `Audience if launched now: ${current.count.toLocaleString("en")} member${current.count === 1 ? "" : "s"}`}
      </p>
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
