"use client";

import { FieldError, Label, Textarea } from "@/components/ui/input";

type TReasonFieldProps = {
  /** The textarea's id; its error's id is derived from it. */
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  error?: string;
};

/** A typed reason an admin gives for a guarded action (a match, an unmatch, a CSV with addresses): kept in the audit log. */
export const ReasonField = ({ id, label, value, onChange, maxLength, error }: TReasonFieldProps) => (
  <>
    <Label htmlFor={id}>{label}</Label>
    <Textarea
      id={id}
      name="reason"
      value={value}
      maxLength={maxLength}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={!!error}
      aria-describedby={error ? `${id}-error` : undefined}
    />
    <FieldError id={`${id}-error`} message={error} />
  </>
);
