"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { LogOut, UserX, Users } from "lucide-react";
import { useMemo, useState, useTransition } from "react";

import { changeAdminRoleAction, endAllSessionsOfAction, removeAdminAccessAction } from "@/app/admin/(console)/team/actions";
import { ConsoleTime } from "@/components/admin/console-time";
import { InviteAdminDialog } from "@/app/admin/(console)/team/_components/invite-admin-dialog";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { NativeSelect } from "@/components/ui/input";
import type { TActionResult } from "@/lib/auth/admin-action";
import { ADMIN_ROLES, ROLE_LABELS, type TAdminRole } from "@/lib/auth/roles";
import type { TTeamMember } from "@/lib/admins/list-admins";

type TFeedback = { tone: "success" | "danger"; message: string } | null;

const RoleForm = ({ member, onResult }: { member: TTeamMember; onResult: (result: TActionResult) => void }) => {
  const [pending, startTransition] = useTransition();
  const selectId = `role-${member.id}`;
  return (
    <form
      className="flex items-center gap-2 whitespace-nowrap"
      action={(form) => startTransition(async () => onResult(await changeAdminRoleAction({ adminId: member.id, role: form.get("role") })))}
    >
      <label htmlFor={selectId} className="sr-only">
        Role of {member.email}
      </label>
      <NativeSelect id={selectId} name="role" defaultValue={member.role} className="h-8 w-32">
        {ADMIN_ROLES.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </NativeSelect>
      <Button type="submit" variant="secondary" size="sm" disabled={pending} aria-label={`Save the role of ${member.email}`}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
};

const RemoveAccess = ({ member, onResult }: { member: TTeamMember; onResult: (result: TActionResult) => void }) => {
  const [pending, startTransition] = useTransition();
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Remove access of ${member.email}`}>
          <UserX className="h-4 w-4" aria-hidden />
          Remove
        </Button>
      </DialogTrigger>
      <DialogContent title="Remove access?" description={`${member.email} is signed out everywhere at once and can no longer sign in. The audit trail keeps their actions.`}>
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <DialogClose asChild>
            <Button variant="danger" disabled={pending} onClick={() => startTransition(async () => onResult(await removeAdminAccessAction({ adminId: member.id })))}>
              Remove access
            </Button>
          </DialogClose>
        </div>
      </DialogContent>
    </Dialog>
  );
};

/** Signs another admin out everywhere (a lost laptop), their access kept: confirmed first, as a removal is. */
const EndAllSessions = ({ member, onResult }: { member: TTeamMember; onResult: (result: TActionResult) => void }) => {
  const [pending, startTransition] = useTransition();
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`End all sessions of ${member.email}`}>
          <LogOut className="h-4 w-4" aria-hidden />
          End sessions
        </Button>
      </DialogTrigger>
      <DialogContent title="End all their sessions?" description={`${member.email} is signed out of every browser at once. Their access and role stay: they can sign in again.`}>
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <DialogClose asChild>
            <Button variant="danger" disabled={pending} onClick={() => startTransition(async () => onResult(await endAllSessionsOfAction({ adminId: member.id })))}>
              End all sessions
            </Button>
          </DialogClose>
        </div>
      </DialogContent>
    </Dialog>
  );
};

/** The team with its actions. Your own row has none: nobody demotes or removes themselves, and your own sessions are on the Sessions page. */
export const TeamView = ({ team, selfId }: { team: TTeamMember[]; selfId: string }) => {
  const [feedback, setFeedback] = useState<TFeedback>(null);
  const onResult = (result: TActionResult) => setFeedback({ tone: result.ok ? "success" : "danger", message: result.message ?? "Done." });

  const columns = useMemo<ColumnDef<TTeamMember, unknown>[]>(
    () => [
      {
        header: "Email",
        cell: ({ row }) => (
          // The address on its own line, wide enough not to break letter by letter; "(you)" under it, whole.
          <div className="min-w-48">
            <span className="break-all text-slate-900">{row.original.email}</span>
            {row.original.id === selfId ? <span className="block text-xs whitespace-nowrap text-slate-600">(you)</span> : null}
          </div>
        ),
      },
      {
        header: "Role",
        cell: ({ row }) =>
          row.original.id === selfId || row.original.disabledAt ? <Badge tone="info">{ROLE_LABELS[row.original.role as TAdminRole]}</Badge> : <RoleForm member={row.original} onResult={onResult} />,
      },
      { header: "Last sign-in", cell: ({ row }) => <ConsoleTime value={row.original.lastSignInAt} fallback="Never" /> },
      { header: "Invited by", cell: ({ row }) => <span className="break-all">{row.original.invitedByEmail ?? "ADMIN_EMAILS"}</span> },
      {
        header: "Access",
        cell: ({ row }) =>
          row.original.disabledAt ? (
            <Badge tone="neutral">Removed</Badge>
          ) : row.original.id === selfId ? (
            <Badge tone="success">Active</Badge>
          ) : (
            <div className="flex flex-wrap gap-1">
              <EndAllSessions member={row.original} onResult={onResult} />
              <RemoveAccess member={row.original} onResult={onResult} />
            </div>
          ),
      },
    ],
    [selfId],
  );

  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <InviteAdminDialog onDone={(message) => setFeedback({ tone: "success", message })} />
      </div>
      <div aria-live="polite">{feedback ? <Alert tone={feedback.tone}>{feedback.message}</Alert> : null}</div>
      <DataTable
        columns={columns}
        data={team}
        caption="Admins and their roles"
        getRowId={(member) => member.id}
        empty={<EmptyState icon={Users} title="No admins yet">Invite the first one.</EmptyState>}
      />
    </div>
  );
};
