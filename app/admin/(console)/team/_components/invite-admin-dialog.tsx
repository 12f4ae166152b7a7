"use client";

import { UserPlus } from "lucide-react";
import { useState, useTransition } from "react";

import { inviteAdminAction } from "@/app/admin/(console)/team/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label, NativeSelect } from "@/components/ui/input";
import type { TActionResult } from "@/lib/auth/admin-action";
import { ADMIN_ROLES, ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/roles";

export const InviteAdminDialog = ({ onDone }: { onDone: (message: string) => void }) => {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<TActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const failed = result && !result.ok ? result : null;

  const submit = (form: FormData) =>
    startTransition(async () => {
      const answer = await inviteAdminAction({ email: String(form.get("email") ?? "").trim(), role: form.get("role") });
      setResult(answer);
      if (answer.ok) {
        setOpen(false);
        setResult(null);
        onDone(answer.message ?? "Invitation sent.");
      }
    });

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus className="h-4 w-4" aria-hidden />
          Invite an admin
        </Button>
      </DialogTrigger>
      <DialogContent title="Invite an admin" description="They get an email and sign in with this address; no password.">
        <form action={submit} noValidate className="space-y-4">
          <div>
            <Label htmlFor="invite-email">Work email</Label>
            {/* Not type="email": Chromium would send an internationalised domain as punycode. */}
            <Input id="invite-email" name="email" type="text" inputMode="email" autoComplete="off" autoCapitalize="none" spellCheck={false} required aria-invalid={!!failed?.fieldErrors?.email} aria-describedby={failed?.fieldErrors?.email ? "invite-email-error" : undefined} />
            <FieldError id="invite-email-error" message={failed?.fieldErrors?.email?.[0]} />
          </div>
          <div>
            <Label htmlFor="invite-role">Role</Label>
            <NativeSelect id="invite-role" name="role" defaultValue="viewer" aria-describedby="invite-role-help">
              {ADMIN_ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </NativeSelect>
            <ul id="invite-role-help" className="mt-2 space-y-1 text-sm text-slate-600">
              {ADMIN_ROLES.map((role) => (
                <li key={role}>
                  <span className="font-medium text-slate-800">{ROLE_LABELS[role]}:</span> {ROLE_DESCRIPTIONS[role]}
                </li>
              ))}
            </ul>
          </div>
          {failed && !failed.fieldErrors?.email ? (
            <Alert tone="danger" role="alert">
              {failed.message}
            </Alert>
          ) : null}
          <Button type="submit" disabled={pending} className="w-full">
            {pending ? "Inviting…" : "Send invitation"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
};
