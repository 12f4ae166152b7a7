"use client";

import { useState, useTransition } from "react";

import { endOwnSessionAction } from "@/app/admin/(console)/sessions/actions";
import { ConsoleTime } from "@/components/admin/console-time";
import { SIGN_IN_METHOD_LABELS } from "@/components/admin/sessions/session-labels";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Td, Th } from "@/components/ui/table";
import type { TActionResult } from "@/lib/auth/admin-action";
import type { TOwnSession } from "@/lib/admins/list-own-sessions";

type TFeedback = { tone: "success" | "danger"; message: string } | null;

const START = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Each button names its session, so a screen reader's list of buttons tells them apart. */
const endLabel = (session: TOwnSession) =>
  session.isCurrent ? `End this session (${session.device}) and sign out` : `End the session in ${session.device}, started ${START.format(new Date(session.createdAt))} UTC`;

const EndButton = ({ session, onResult }: { session: TOwnSession; onResult: (result: TActionResult) => void }) => {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      variant={session.isCurrent ? "secondary" : "danger"}
      size="sm"
      disabled={pending}
      aria-label={endLabel(session)}
      onClick={() => startTransition(async () => onResult(await endOwnSessionAction({ sessionId: session.id })))}
    >
      {pending ? "Ending…" : "End"}
    </Button>
  );
};

const Device = ({ session }: { session: TOwnSession }) => (
  <span className="flex flex-wrap items-center gap-2">
    <span className="font-medium text-slate-900">{session.device}</span>
    {session.isCurrent ? <Badge tone="success">This session</Badge> : null}
  </span>
);

/**
 * The admin's sessions: a table from lg up (the console's column takes room from md), one card per
 * session below it, so a phone reads every field without scrolling sideways. An admin has a few
 * sessions, so both fit.
 */
export const SessionsView = ({ sessions }: { sessions: TOwnSession[] }) => {
  const [feedback, setFeedback] = useState<TFeedback>(null);
  const onResult = (result: TActionResult) => setFeedback({ tone: result.ok ? "success" : "danger", message: result.message ?? "Done." });
  return (
    <div className="space-y-4">
      <div aria-live="polite">{feedback ? <Alert tone={feedback.tone}>{feedback.message}</Alert> : null}</div>
      <ul className="space-y-3 lg:hidden" aria-label="Your sessions">
        {sessions.map((session) => (
          <li key={session.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <Device session={session} />
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-slate-700">
              <dt className="text-slate-600">Signed in by</dt>
              <dd>{SIGN_IN_METHOD_LABELS[session.method]}</dd>
              <dt className="text-slate-600">Started</dt>
              <dd>
                <ConsoleTime value={session.createdAt} />
              </dd>
              <dt className="text-slate-600">Expires</dt>
              <dd>
                <ConsoleTime value={session.expires} />
              </dd>
            </dl>
            <div className="mt-3">
              <EndButton session={session} onResult={onResult} />
            </div>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto rounded-lg border border-slate-200 bg-white lg:block">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Your sessions</caption>
          <thead className="text-xs font-semibold tracking-wide uppercase">
            <tr>
              <Th>Device</Th>
              <Th>Signed in by</Th>
              <Th>Started</Th>
              <Th>Expires</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <Td>
                  <Device session={session} />
                </Td>
                <Td>{SIGN_IN_METHOD_LABELS[session.method]}</Td>
                <Td>
                  <ConsoleTime value={session.createdAt} />
                </Td>
                <Td>
                  <ConsoleTime value={session.expires} />
                </Td>
                <Td className="text-right">
                  <EndButton session={session} onResult={onResult} />
                </Td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-sm text-slate-600">A session ends by itself after 8 hours without use. Sessions that already ended are not listed.</p>
    </div>
  );
};
