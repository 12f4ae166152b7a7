"use client";

import { notYetReachedChoices, type TAudienceFigures } from "@/lib/campaigns/audience-wording";

/**
 * "Who to notify": only members no earlier campaign reached yet, or everyone eligible again. Shown
 * where someone may be told twice; the caller picks the default (only those not yet reached).
 */
export const NotYetReachedChoice = ({ figures, value, onChange, name }: { figures: TAudienceFigures; value: boolean; onChange: (value: boolean) => void; name: string }) => {
  const labels = notYetReachedChoices(figures);
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium text-slate-800">Who to notify</legend>
      <div className="space-y-1">
        {(
          [
            [true, labels.only],
            [false, labels.everyone],
          ] as const
        ).map(([choice, label]) => (
          <label key={String(choice)} className="flex min-h-10 items-start gap-2 py-1 text-sm text-slate-900">
            <input type="radio" name={name} value={String(choice)} checked={value === choice} onChange={() => onChange(choice)} className="mt-0.5 h-5 w-5 shrink-0 accent-blue-700" />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
};
