"use client";

import { Mail } from "lucide-react";
import { useActionState } from "react";

import { requestSignInLink, type TSignInState } from "@/app/admin/sign-in/actions";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";

export const SignInForm = () => {
  const [state, action, pending] = useActionState<TSignInState, FormData>(requestSignInLink, {});
  return (
    <form action={action} noValidate className="space-y-4">
      <div>
        <Label htmlFor="email">Work email</Label>
        <Input
          id="email"
          name="email"
          // Not type="email": Chromium would send an internationalised domain as punycode, not as invited.
          type="text"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          defaultValue={state.email}
          aria-invalid={!!state.error}
          aria-describedby={state.error ? "email-error" : undefined}
        />
        <FieldError id="email-error" message={state.error} />
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        <Mail className="h-4 w-4" aria-hidden />
        {pending ? "Sending…" : "Email me a sign-in link"}
      </Button>
    </form>
  );
};
