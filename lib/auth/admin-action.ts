import "server-only";

import { forbidden, unauthorized } from "next/navigation";
import { z } from "zod";

import { isAppError } from "@/lib/errors/app-error";
import { currentAdmin, type TCurrentAdmin } from "@/lib/auth/current-admin";
import { markConsoleChange } from "@/lib/read-replica/console-change";

export type TActionResult<TData = undefined> =
  | { ok: true; message?: string; data?: TData }
  | { ok: false; message: string; fieldErrors?: Record<string, string[] | undefined> };

/**
 * A server action for the console: validates its input with the form's zod schema, finds the
 * signed-in admin (401 without one), and runs. The `lib/` function checks the role itself; its
 * AppError is mapped by code: `forbidden` and `unauthenticated` are Next's 403 and 401 pages (the
 * form could not fix them), the rest a message the form shows, in the words meant for a person.
 * One that changes something (`readOnly` unset) is marked before it runs (a `redirect()` ends it):
 * the admin's next pages read the primary. A read-only one (a preview, a count) leaves them on the replica.
 */
export const adminAction =
  <TSchema extends z.ZodType, TData = undefined>({
    schema,
    run,
    readOnly = false,
  }: {
    schema: TSchema;
    run: (args: { actor: TCurrentAdmin; input: z.infer<TSchema> }) => Promise<TActionResult<TData>>;
    readOnly?: boolean;
  }) =>
  async (input: unknown): Promise<TActionResult<TData>> => {
    const actor = await currentAdmin();
    if (!actor) unauthorized();
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the form.", fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
    }
    if (!readOnly) await markConsoleChange();
    try {
      return await run({ actor, input: parsed.data });
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === "forbidden") forbidden();
      if (error.code === "unauthenticated") unauthorized();
      return { ok: false, message: error.userMessage };
    }
  };
